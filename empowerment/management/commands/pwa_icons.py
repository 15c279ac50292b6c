"""Draw the installed portal's icons (static/pwa/icons/*.png) with Pillow. Run once when the drawing
changes; the PNGs are committed."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

BLUE = (13, 110, 253)
WHITE = (255, 255, 255)
YELLOW = (255, 193, 7)


def draw(size: int, *, padding: float) -> Image.Image:
    """Three people (circles over shoulders) under a roof, on the site's blue: the community."""
    image = Image.new("RGB", (size, size), BLUE)
    pen = ImageDraw.Draw(image)
    inner = size * (1 - 2 * padding)

    def at(x: float, y: float) -> tuple[float, float]:
        return (size * padding + x * inner, size * padding + y * inner)

    pen.polygon([at(0.5, 0.08), at(0.95, 0.45), at(0.05, 0.45)], fill=YELLOW)
    for cx, r in ((0.27, 0.09), (0.5, 0.11), (0.73, 0.09)):
        head_y = 0.58 if r < 0.1 else 0.55
        pen.ellipse([at(cx - r, head_y - r), at(cx + r, head_y + r)], fill=WHITE)
        pen.pieslice(
            [at(cx - 1.8 * r, head_y + 1.2 * r), at(cx + 1.8 * r, head_y + 4.6 * r)], 180, 360, fill=WHITE
        )
    return image


class Command(BaseCommand):
    help = "Draw the installed portal's icons into static/pwa/icons/."

    def handle(self, *args, **options):
        folder = Path(settings.BASE_DIR) / "static" / "pwa" / "icons"
        folder.mkdir(parents=True, exist_ok=True)
        for name, size, padding in (
            ("icon-192.png", 192, 0.06),
            ("icon-512.png", 512, 0.06),
            ("icon-maskable-512.png", 512, 0.16),  # the safe zone of a maskable icon
        ):
            draw(size, padding=padding).save(folder / name, optimize=True)
            self.stdout.write(f"{folder / name}")
