from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khuyencong.accounts.models import User
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.exports import write_error_xlsx
from khuyencong.registry.importer import Importer, ImportFileError, read_sheet


class Command(BaseCommand):
    help = ("Nhập danh sách cơ sở CNNT từ tệp Excel. Tệp có dòng lỗi thì không ghi gì, trừ khi dùng --good-rows. "
            "Imports establishments from a spreadsheet; a file with errors commits nothing unless --good-rows.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--province", type=int, help="Mã tỉnh hiện nay (vd 80 = Tây Ninh) khi tệp không ghi tỉnh.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        parser.add_argument("--good-rows", action="store_true", help="Ghi các dòng hợp lệ, bỏ qua dòng lỗi.")
        parser.add_argument("--user", default="admin", help="Người thực hiện (ghi vào nhật ký).")

    def handle(self, *args, file, province, dry_run, good_rows, user, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"Không có tệp {path}.")
        actor = User.objects.filter(username=user).first()
        unit = None
        if province is not None:
            unit = AdminUnit.objects.current().provinces().filter(code=province).first()
            if unit is None:
                raise CommandError(f"Không có tỉnh/thành phố mã {province}.")
        importer = Importer(actor=actor, province=unit)
        try:
            report = importer.validate(read_sheet(path))
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{report.total} dòng: {report.valid} hợp lệ, {len(report.bad_rows)} dòng lỗi, "
                          f"{len(report.splits)} dòng có xã cũ bị chia cần chọn.")
        for error in report.errors[:50]:
            self.stdout.write(f"  Dòng {error.row}, cột {error.column}: {error.message}")
        if len(report.errors) > 50:
            self.stdout.write(f"  … và {len(report.errors) - 50} lỗi khác.")
        if report.errors:
            error_path = path.with_name(f"{path.stem}-loi.xlsx")
            write_error_xlsx(report, str(error_path))
            self.stdout.write(f"Tệp lỗi: {error_path}")
        if dry_run:
            self.stdout.write("Chạy thử (--dry-run): không ghi gì.")
            return
        try:
            importer.commit(report, good_rows=good_rows)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã ghi: {report.created} thêm mới, {report.updated} cập nhật, "
                          f"{report.unchanged} không đổi.")
