from rest_framework import permissions


class RoleModelPermissions(permissions.DjangoModelPermissions):
    """Model permissions from the user's roles, reading included; read-only roles never write.

    Region scope is applied by the selectors (rows outside it are 404), not here.
    """

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method not in permissions.SAFE_METHODS and request.user.is_read_only:
            return False
        if getattr(view, "_ignore_model_permissions", False):
            return True
        required = getattr(view, "required_permissions", None)
        if required is not None:
            perms = required.get(request.method, required.get("*", []))
            return request.user.has_perms(perms)
        return super().has_permission(request, view)


class IsAuthenticatedWriter(permissions.IsAuthenticated):
    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return request.method in permissions.SAFE_METHODS or not request.user.is_read_only


class ReadByPost(RoleModelPermissions):
    """A POST that only reads — a search whose terms must stay out of the URL (a full ID number):
    the view's `required_permissions`, read-only roles included."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        required = view.required_permissions
        return request.user.has_perms(required.get(request.method, required.get("*", [])))
