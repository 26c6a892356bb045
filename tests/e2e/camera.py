"""A fake camera for Chromium: a y4m video (raw YUV 4:2:0 frames) showing one image, e.g. a QR label.

Chromium loops the file given with --use-file-for-fake-video-capture; y4m needs no codec, so PIL suffices.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image


def write_y4m(image_bytes: bytes, out: Path, width: int = 640, height: int = 480, frames: int = 10) -> Path:
    """Write `frames` identical frames of the image, centred on white at 80 % of the frame height."""
    picture = Image.open(io.BytesIO(image_bytes)).convert("L")
    side = int(min(width, height) * 0.8)
    picture = picture.resize((side, side), Image.Resampling.NEAREST)
    frame = Image.new("L", (width, height), 255)
    frame.paste(picture, ((width - side) // 2, (height - side) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * ((width // 2) * (height // 2))  # neutral: a grey-scale picture
    with out.open("wb") as f:
        f.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for _ in range(frames):
            f.write(b"FRAME\n" + luma + chroma + chroma)
    return out
