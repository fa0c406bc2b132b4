"""core.registries.Registry: what a higher app shows on a lower app's page, in order."""

from core.registries import Registry, card_sections


def test_entries_come_in_order_then_by_template():
    registry = Registry("test")
    registry.register("b/late.html", order=90)
    registry.register("b/early.html", order=10)
    registry.register("a/early.html", order=10)

    assert [e.template for e in registry.entries()] == ["a/early.html", "b/early.html", "b/late.html"]


def test_the_default_order_sits_in_the_middle():
    registry = Registry("test")
    registry.register("middle.html")
    registry.register("first.html", order=10)
    registry.register("last.html", order=90)

    assert [e.template for e in registry.entries()] == ["first.html", "middle.html", "last.html"]


def test_a_second_register_of_a_template_replaces_the_first():
    registry = Registry("test")
    registry.register("x.html", lambda **kw: {"n": 1}, order=10)
    registry.register("y.html", order=20)

    registry.register("x.html", lambda **kw: {"n": 2}, order=30)

    assert registry.render_list() == [{"template": "y.html", "context": {}}, {"template": "x.html", "context": {"n": 2}}]


def test_isolated_starts_empty_and_restores_the_entries_after():
    registry = Registry("test")
    registry.register("kept.html")

    with registry.isolated() as inside:
        assert inside is registry
        assert registry.entries() == []
        registry.register("only_inside.html")
        assert [e.template for e in registry.entries()] == ["only_inside.html"]

    assert [e.template for e in registry.entries()] == ["kept.html"]


def test_isolated_restores_the_entries_after_an_error():
    before = card_sections.entries()

    try:
        with card_sections.isolated():
            card_sections.register("only_inside.html")
            raise RuntimeError
    except RuntimeError:
        pass

    assert card_sections.entries() == before


def test_render_list_calls_each_context_with_the_page_arguments():
    registry = Registry("test")
    seen = []

    def context(**kwargs):
        seen.append(kwargs)
        return {"customer": kwargs["customer"].upper()}

    registry.register("with.html", context, order=10)
    registry.register("without.html", order=20)

    sections = registry.render_list(customer="ada", request=None)

    assert sections == [{"template": "with.html", "context": {"customer": "ADA"}},
                        {"template": "without.html", "context": {}}]
    assert seen == [{"customer": "ada", "request": None}]
