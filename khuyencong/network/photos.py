"""Photos of field records: checked, turned upright, shrunk and stripped before they are stored.

A phone photo is 3–12 MB with the owner's GPS track, the camera and its serial number in its EXIF; the record keeps
its own GPS point. What is stored is a JPEG whose long side is at most ``KC_NETWORK_PHOTO_MAX_SIDE`` pixels (1600),
at quality ``KC_NETWORK_PHOTO_QUALITY`` (85), upright (the EXIF orientation applied), with no metadata at all.
The file's type is read from its content, never from its name or the browser's word.
"""

import io
import secrets
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from khuyencong.core.errors import InvalidInput

FORMATS = ("JPEG", "PNG", "WEBP")
# More pixels than any phone camera: a larger image is a decompression bomb, not a photo.
MAX_PIXELS = 60_000_000


def max_bytes() -> int:
    return getattr(settings, "KC_NETWORK_PHOTO_MAX_BYTES", 15 * 1024 * 1024)


def max_side() -> int:
    return getattr(settings, "KC_NETWORK_PHOTO_MAX_SIDE", 1600)


def quality() -> int:
    return getattr(settings, "KC_NETWORK_PHOTO_QUALITY", 85)


def prepare_photo(upload) -> ContentFile | None:
    """The upload as a stored-ready JPEG under a random name; a clear error for anything that is not a photo."""
    if upload is None:
        return None
    if upload.size > max_bytes():
        raise InvalidInput(_("The photo is too large (at most %(mb)s MB).") % {"mb": max_bytes() // (1024 * 1024)},
                           field="photo")
    not_an_image = InvalidInput(_("The file is not a photo we can read: choose a JPEG, PNG or WebP image."),
                                field="photo")
    too_many_pixels = InvalidInput(_("The photo has too many pixels: take it again at a normal size."), field="photo")
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as original:
                if original.format not in FORMATS:
                    raise not_an_image
                if original.width * original.height > MAX_PIXELS:
                    raise too_many_pixels
                original.load()
                image = ImageOps.exif_transpose(original)
                image = _flatten(image)
                image.thumbnail((max_side(), max_side()), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                # No exif= and no icc_profile=: the stored file carries no metadata.
                image.save(out, "JPEG", quality=quality(), optimize=True, progressive=True)
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
