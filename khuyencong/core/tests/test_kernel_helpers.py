"""The helpers every module uses: the version check of concurrent edits, upload checks and the amount check."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from khuyencong.accounts.models import Organisation, OrganisationKind
from khuyencong.accounts.tests.factories import OrganisationFactory
from khuyencong.core import uploads
from khuyencong.core.errors import Conflict, InvalidInput
from khuyencong.core.money import check_amount
from khuyencong.core.paging import int_or_none
from khuyencong.core.versions import check_version, versioned_update

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.mark.django_db
def test_versioned_update_writes_while_the_version_holds():
    org = OrganisationFactory()
    assert versioned_update(org, {"short_name": "TTKC"}, org.version)
    stored = Organisation.objects.get(pk=org.pk)
    assert (stored.short_name, stored.version, org.version) == ("TTKC", 2, 2)
    assert not versioned_update(org, {}, org.version)


@pytest.mark.django_db
def test_versioned_update_refuses_a_stale_version_and_writes_nothing():
    org = OrganisationFactory()
    versioned_update(org, {"short_name": "A"}, 1)
    with pytest.raises(Conflict) as stale:
        versioned_update(org, {"short_name": "B"}, 1, what="tổ chức")
    assert "tổ chức" in stale.value.message
    assert Organisation.objects.get(pk=org.pk).short_name == "A"
    with pytest.raises(Conflict) as worded:
        versioned_update(org, {"short_name": "B"}, 2, conflict="Đã có người sửa.", kind=OrganisationKind.DOIT)
    assert worded.value.message == "Đã có người sửa."


def test_check_version():
    class Row:
        version = 3

    check_version(Row(), 3)
    check_version(Row(), None)
    with pytest.raises(Conflict):
        check_version(Row(), 2)


def test_check_document_reads_the_content_not_the_name():
    uploads.check_document(SimpleUploadedFile("scan.png", PNG))
    uploads.check_document(None)
    with pytest.raises(InvalidInput) as missing:
        uploads.check_document(None, missing="Đính kèm bản quét.")
    assert missing.value.message == "Đính kèm bản quét."
    with pytest.raises(InvalidInput) as disguised:
        uploads.check_document(SimpleUploadedFile("scan.pdf", PNG), field="scan")
    assert disguised.value.field == "scan"
    with pytest.raises(InvalidInput):
        uploads.check_document(SimpleUploadedFile("macro.xlsm", b"PK\x03\x04"))


def test_check_document_refuses_a_file_over_the_limit(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_DOCUMENT_BYTES", 16)
    with pytest.raises(InvalidInput) as big:
        uploads.check_document(SimpleUploadedFile("scan.png", PNG))
    assert "scan.png" in big.value.message


def test_reencode_photo_strips_metadata_and_refuses_what_is_not_a_photo():
    out = io.BytesIO()
    image = Image.new("RGB", (40, 30), "red")
    exif = image.getexif()
    exif[0x010F] = "PhoneMaker"  # Make
    image.save(out, "JPEG", exif=exif)
    stored = uploads.reencode_photo(SimpleUploadedFile("p.jpg", out.getvalue()))
    with Image.open(io.BytesIO(stored.read())) as again:
        assert again.format == "JPEG" and not again.getexif()
    assert stored.name.endswith(".jpg") and stored.name != "p.jpg"
    with pytest.raises(InvalidInput):
        uploads.reencode_photo(SimpleUploadedFile("p.jpg", b"%PDF-1.4 not a photo"))


@pytest.mark.parametrize("value", [-1, 1.5, "100", True, None])
def test_check_amount_refuses_with_one_message(value):
    with pytest.raises(InvalidInput) as bad:
        check_amount(value, field="cost")
    assert bad.value.field == "cost"
    assert bad.value.message == check_amount_message()


def check_amount_message() -> str:
    try:
        check_amount(-1)
    except InvalidInput as exc:
        return exc.message
    raise AssertionError("a negative amount passed")


def test_check_amount_accepts_whole_dong():
    assert check_amount(0) == 0
    assert check_amount(None, nullable=True) is None
    with pytest.raises(InvalidInput):
        check_amount(0, positive=True)
    assert check_amount(5, positive=True) == 5


@pytest.mark.parametrize("typed, read", [
    ("12", 12), (" 7 ", 7), ("", None), (None, None), ("-1", None), ("1.5", None), ("abc", None),
    ("²", None), ("٣", None), ("9" * 19, None), ("9" * 18, 10**18 - 1),
])
def test_int_or_none_reads_only_plain_digits_that_fit_a_column(typed, read):
    assert int_or_none(typed) == read


def test_a_superscript_digit_in_a_url_is_not_a_server_error(client, db):
    from khuyencong.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True))
    assert client.get("/organisations/", {"province": "²"}).status_code == 200
    assert client.get("/audit/", {"type": "٣"}).status_code == 200
