"""Field photos: shrunk, turned upright, stripped of metadata; anything else refused in Vietnamese."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from khuyencong.core.errors import InvalidInput
from khuyencong.core.uploads import reencode_photo

from .factories import PNG


def phone_photo(width=4000, height=3000, orientation=6, fmt="JPEG") -> bytes:
    """A landscape sensor image the camera marks "rotate 90°" (orientation 6), with a GPS tag and a camera model."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 4, height))  # a blue band on the left of the sensor image
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x0110] = "Phone X"  # camera model
    exif[0x8825] = {1: "N", 2: (22.0, 23.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes(), quality=95)
    return out.getvalue()


def stored(content) -> Image.Image:
    return Image.open(io.BytesIO(content.read()))


def test_phone_photo_is_upright_shrunk_and_stripped():
    upload = SimpleUploadedFile("IMG_0001.JPG", phone_photo(), content_type="image/jpeg")
    content = reencode_photo(upload)
    assert content.name.endswith(".jpg") and "IMG" not in content.name
    image = stored(content)
    assert image.format == "JPEG"
    assert image.size == (1200, 1600)  # rotated upright: portrait, long side 1600
    assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    # The blue band on the sensor's left is at the top once the orientation is applied.
    r, _g, b = image.getpixel((600, 10))
    assert b > 150 and r < 100
    assert content.size < len(upload.read()) / 3


def test_small_png_with_transparency_is_kept_small_and_flattened_on_white():
    image = stored(reencode_photo(SimpleUploadedFile("a.png", PNG, content_type="image/png")))
    assert image.size == (1, 1) and image.mode == "RGB"


def test_webp_is_accepted():
    out = io.BytesIO()
    Image.new("RGB", (2000, 500), "green").save(out, "WEBP")
    image = stored(reencode_photo(SimpleUploadedFile("a.webp", out.getvalue(), content_type="image/webp")))
    assert image.size == (1600, 400)


@pytest.mark.parametrize("content", [
    b"%PDF-1.7 not a photo",
    b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    PNG[:30],  # a truncated upload
    b"\xff\xd8\xff\xe0garbage",
])
def test_what_is_not_a_photo_is_refused_in_vietnamese(content):
    with pytest.raises(InvalidInput, match="Tệp không phải là ảnh đọc được") as refused:
        reencode_photo(SimpleUploadedFile("anh.jpg", content, content_type="image/jpeg"))
    assert refused.value.field == "photo"


def test_gif_is_refused_even_though_pillow_reads_it():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(InvalidInput, match="JPEG, PNG hoặc WebP"):
        reencode_photo(SimpleUploadedFile("a.gif", out.getvalue(), content_type="image/gif"))


def test_decompression_bomb_is_refused(settings):
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")  # 100 MP in a few kilobytes
    with pytest.raises(InvalidInput, match="quá nhiều điểm ảnh"):
        reencode_photo(SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png"))


def test_size_limit_is_a_setting(settings):
    settings.KC_NETWORK_PHOTO_MAX_BYTES = 10
    with pytest.raises(InvalidInput, match="Ảnh quá lớn"):
        reencode_photo(SimpleUploadedFile("a.png", PNG, content_type="image/png"))
