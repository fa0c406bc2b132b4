"""Models in an order that writing rows can follow."""


def parents_first(model_list) -> list:
    """The models in an order where each comes after the models of the list it points at. The models of a cycle
    (an interaction pointing at a follow-up that points at an interaction) keep their order, after all the others:
    the foreign keys are checked at commit on PostgreSQL and SQLite, so any order of theirs works."""
    ordered, pending = [], list(model_list)
    while pending:
        for model in pending:
            targets = {
                f.related_model for f in model._meta.concrete_fields
                if f.is_relation and f.related_model is not model and f.related_model in pending
            }
            if not targets:
                ordered.append(model)
                pending.remove(model)
                break
        else:
            ordered += pending
            break
    return ordered
