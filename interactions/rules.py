"""Who may do what with an interaction: decided here once, for the views, the offline sync and the API."""


def can_edit(user, interaction) -> bool:
    """Change or delete it: the owner, or whoever logged it."""
    # The author first: it costs no query, where is_owner reads the user's groups.
    return bool(interaction.user_id == user.pk or user.is_owner)
