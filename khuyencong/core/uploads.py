"""Every uploaded file is checked here before it is stored or queued: its type read from its content (never from its
name or the browser's word), its size, and an image re-encoded so that nothing but pixels is kept.

- `check_document(upload)`: a scan or photo of a signed paper (PDF, JPEG, PNG, WebP), at most 10 MB.
- `reencode_photo(upload)`: a photo turned upright, shrunk, stripped of its metadata (the GPS track, the camera's
  serial number) and stored as a JPEG under a random name; a decompression bomb is refused.
"""

import io
import secrets
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import InvalidInput

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# The first bytes of each accepted type, by the extensions it is named with.
SIGNATURES = {"pdf": (b"%PDF",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",), "png": (b"\x89PNG",),
              "webp": (b"RIFF",)}
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
# More pixels than any phone camera: a larger image is a decompression bomb, not a photo.
MAX_PIXELS = 60_000_000


def _mb(size: int) -> str:
    return str(round(size / 1024 / 1024, 1))


def check_document(upload, *, field: str = "file", missing: str = "") -> None:
    """A scan or photo of a document: PDF, JPEG, PNG or WebP by its content, at most 10 MB. `missing` is the message
    when nothing was attached (by default nothing is required)."""
    if upload is None:
        if missing:
            raise InvalidInput(missing, field=field)
        return
    name = (getattr(upload, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in SIGNATURES:
        raise InvalidInput(_("Attach a PDF, JPEG, PNG or WebP file (this one is “%(name)s”).") % {
            "name": upload.name}, field=field)
    if upload.size > MAX_DOCUMENT_BYTES:
        raise InvalidInput(_("The file “%(name)s” is too large (%(size)s MB): the limit is %(limit)s MB.") % {
            "name": upload.name, "size": _mb(upload.size), "limit": MAX_DOCUMENT_BYTES // 1024 // 1024},
            field=field)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        raise InvalidInput(_("The content of “%(name)s” is not a %(type)s file, whatever its name says.") % {
            "name": upload.name, "type": extension.upper()}, field=field)


def photo_max_bytes() -> int:
    return getattr(settings, "KC_NETWORK_PHOTO_MAX_BYTES", 15 * 1024 * 1024)


def photo_max_side() -> int:
    return getattr(settings, "KC_NETWORK_PHOTO_MAX_SIDE", 1600)


def photo_quality() -> int:
    return getattr(settings, "KC_NETWORK_PHOTO_QUALITY", 85)


def reencode_photo(upload, *, field: str = "photo") -> ContentFile | None:
    """The upload as a stored-ready JPEG under a random name (long side at most KC_NETWORK_PHOTO_MAX_SIDE, quality
    KC_NETWORK_PHOTO_QUALITY, upright, no metadata); a clear error for anything that is not a photo."""
    if upload is None:
        return None
    if upload.size > photo_max_bytes():
        raise InvalidInput(_("The photo is too large (at most %(mb)s MB).") % {
            "mb": photo_max_bytes() // (1024 * 1024)}, field=field)
    not_an_image = InvalidInput(_("The file is not a photo we can read: choose a JPEG, PNG or WebP image."),
                                field=field)
    too_many_pixels = InvalidInput(_("The photo has too many pixels: take it again at a normal size."), field=field)
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as original:
                if original.format not in PHOTO_FORMATS:
                    raise not_an_image
                if original.width * original.height > MAX_PIXELS:
                    raise too_many_pixels
                original.load()
                image = _flatten(ImageOps.exif_transpose(original))
                image.thumbnail((photo_max_side(), photo_max_side()), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                # No exif= and no icc_profile=: the stored file carries no metadata.
                image.save(out, "JPEG", quality=photo_quality(), optimize=True, progressive=True)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.jpg")


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparent parts (a PNG screenshot) go on white, other modes are converted."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")
