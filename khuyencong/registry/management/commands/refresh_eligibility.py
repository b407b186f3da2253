from django.core.management.base import BaseCommand

from khuyencong.registry.services import eligibility_refresh


class Command(BaseCommand):
    help = ("Tính lại điều kiện CNNT đã lưu của các cơ sở cho ngày hôm nay (chạy hằng ngày). Recomputes the stored "
            "eligibility that list filters use: a unit's type or a rule can change on a date.")

    def add_arguments(self, parser):
        parser.add_argument("--province", type=int, help="Chỉ một tỉnh (mã hiện nay).")

    def handle(self, *args, province=None, **options):
        from khuyencong.geo.models import AdminUnit

        province_id = None
        if province is not None:
            province_id = AdminUnit.objects.current().provinces().get(code=province).pk
        count = eligibility_refresh(province_id=province_id)
        self.stdout.write(f"Đã tính lại điều kiện CNNT cho {count} cơ sở.")
