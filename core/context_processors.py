from django.conf import settings


def app(request):
    user = getattr(request, "user", None)
    return {
        "business_name": settings.BUSINESS_NAME,
        "is_owner": bool(user and user.is_authenticated and user.is_owner),
    }
