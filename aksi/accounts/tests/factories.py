from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.regions.models import Region

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name: str = "sk.pdf", content: bytes = MINIMAL_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def user_with_role(username: str, role: str, code: str | None) -> User:
    user = User.objects.create_user(
        username=username, password="correct horse battery", full_name=username.title()
    )
    region = Region.objects.get(code=code) if code else None
    RoleAssignment.objects.create(user=user, role=role, region=region)
    return user


def region_admin(code: str = "35.19", username: str = "admin_madiun") -> User:
    return user_with_role(username, Role.REGION_ADMIN, code)
