"""Demo organisations and one user per role, on today's provinces. Idempotent."""

from base64 import b32decode

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit

from .models import Organisation, OrganisationKind, Role, RoleAssignment, ScopeLevel, User
from .otp import DEVICE_NAME

DEMO_PASSWORD = "khuyencong2026"
# The authenticator key of every demo user whose role must use a second factor (KC_2FA_REQUIRED_ROLES): type it in
# any authenticator app (time-based, 6 digits, 30 s). A demo secret, printed and published: never in production.
DEMO_TOTP_SECRET = "KHUYENCONGDEMOTOTPKHUYENCONGDEMO"

MINISTRY = "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"

# Province code → (DoIT name, KC centre name). Each province names its KC centre (a public service unit set up by the
# provincial People's Committee, TTLT 16/2011/TTLT-BCT-BNV-BTC Điều 3), so the names differ.
PROVINCES = {
    12: ("Sở Công Thương tỉnh Lai Châu", "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Lai Châu"),
    80: ("Sở Công Thương tỉnh Tây Ninh", "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Tây Ninh"),
    92: (
        "Sở Công Thương thành phố Cần Thơ",
        "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp thành phố Cần Thơ",
    ),
    79: ("Sở Công Thương Thành phố Hồ Chí Minh", "Trung tâm Khuyến công Thành phố Hồ Chí Minh"),
}

# username, full name, role, province code (None = national), organisation kind, communes (count, for collaborators)
USERS = [
    ("admin", "Quản trị hệ thống", Role.SYSTEM_ADMIN, None, OrganisationKind.MINISTRY_AGENCY, 0),
    ("cuc.dck", "Nguyễn Văn Thành", Role.MINISTRY_OFFICER, None, OrganisationKind.MINISTRY_AGENCY, 0),
    ("sct.laichau", "Lò Thị Hoa", Role.DOIT_OFFICER, 12, OrganisationKind.DOIT, 0),
    ("ld.sct.laichau", "Tẩn Văn Minh", Role.DOIT_MANAGER, 12, OrganisationKind.DOIT, 0),
    ("ttkc.laichau", "Nguyễn Thị Thu Hà", Role.CENTRE_STAFF, 12, OrganisationKind.KC_CENTRE, 0),
    ("ketoan.laichau", "Trần Thị Lan", Role.FINANCE_OFFICER, 12, OrganisationKind.KC_CENTRE, 0),
    ("ctv.laichau", "Vàng A Dính", Role.COLLABORATOR, 12, OrganisationKind.KC_CENTRE, 3),
    ("xem.laichau", "Phạm Quốc Bảo", Role.VIEWER, 12, OrganisationKind.DOIT, 0),
    ("ttkc.tayninh", "Lê Minh Tâm", Role.CENTRE_STAFF, 80, OrganisationKind.KC_CENTRE, 0),
    ("sct.tayninh", "Huỳnh Thị Mỹ Duyên", Role.DOIT_OFFICER, 80, OrganisationKind.DOIT, 0),
    ("ld.sct.tayninh", "Nguyễn Hoàng Phúc", Role.DOIT_MANAGER, 80, OrganisationKind.DOIT, 0),
    ("ketoan.tayninh", "Đặng Thị Kim Yến", Role.FINANCE_OFFICER, 80, OrganisationKind.KC_CENTRE, 0),
    ("ttkc.cantho", "Trương Văn Lộc", Role.CENTRE_STAFF, 92, OrganisationKind.KC_CENTRE, 0),
    ("ttkc.hcm", "Võ Thị Ngọc Trâm", Role.CENTRE_STAFF, 79, OrganisationKind.KC_CENTRE, 0),
]


def _org(kind, name, province=None, parent=None, commune=None) -> Organisation:
    org, _created = Organisation.objects.get_or_create(
        province=province, kind=kind, name=name,
        defaults={"name_folded": fold(name), "parent": parent, "commune": commune,
                  "short_name": name.split(" tỉnh ")[0].split(" thành phố ")[0].split(" Thành phố ")[0][:80]},
    )
    return org


def seed(stdout=None) -> list[tuple[str, str, str]]:
    """Creates the demo organisations and users; returns (username, role label, organisation) rows."""
    provinces = {p.code: p for p in AdminUnit.objects.current().provinces().filter(code__in=PROVINCES)}
    ministry = _org(OrganisationKind.MINISTRY_AGENCY, MINISTRY)
    orgs = {(None, OrganisationKind.MINISTRY_AGENCY): ministry}
    for code, (doit_name, centre_name) in PROVINCES.items():
        doit = _org(OrganisationKind.DOIT, doit_name, provinces[code])
        orgs[(code, OrganisationKind.DOIT)] = doit
        orgs[(code, OrganisationKind.KC_CENTRE)] = _org(OrganisationKind.KC_CENTRE, centre_name, provinces[code], doit)
    first_commune = AdminUnit.objects.current().communes().filter(province=provinces[12]).order_by("code").first()
    commune_name = first_commune.name[0].lower() + first_commune.name[1:]  # "Ủy ban nhân dân xã Sìn Hồ"
    _org(OrganisationKind.COMMUNE_PC, f"Ủy ban nhân dân {commune_name}", provinces[12], commune=first_commune)

    rows = []
    for username, full_name, role, code, kind, n_communes in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, email=f"{username}@demo.khuyencong.vn")
            user.set_password(DEMO_PASSWORD)
            if role == Role.SYSTEM_ADMIN:
                user.is_superuser = user.is_staff = True
            user.save()
        organisation = orgs[(code, kind)]
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, organisation=organisation, role=role,
            defaults={
                "scope_level": ScopeLevel.NATIONAL if code is None
                else (ScopeLevel.COMMUNES if n_communes else ScopeLevel.PROVINCE),
                "province": provinces.get(code),
            },
        )
        if created and n_communes:
            assignment.communes.set(
                AdminUnit.objects.current().communes().filter(province=provinces[code]).order_by("code")[:n_communes]
            )
        rows.append((username, role.label, organisation.name))
    secured = demo_devices()
    if secured and stdout is not None:
        stdout.write(f"Xác thực hai bước cho {', '.join(secured)}: thêm khóa {DEMO_TOTP_SECRET} vào một ứng dụng "
                     "xác thực (Google Authenticator, FreeOTP…) rồi nhập mã 6 số sau mật khẩu.")
    return rows


def demo_devices() -> list[str]:
    """Gives the demo users whose role must use a second factor a confirmed authenticator with the published demo
    key, so the demo stays explorable. Returns their usernames."""
    roles = settings.KC_2FA_REQUIRED_ROLES
    if not roles:
        return []
    key = b32decode(DEMO_TOTP_SECRET).hex()
    users = User.objects.filter(username__in=[u[0] for u in USERS], assignments__role__in=roles).distinct()
    secured = []
    for user in users.order_by("username"):
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key, confirmed=True)
        secured.append(user.username)
    return secured
