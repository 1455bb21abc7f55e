#!/usr/bin/python3
"""Pixel oracle for Captionstream's image stage.

Reproduces what SmolVLM's reference preprocessing does to one image file, using only Pillow and numpy:
  load like transformers.image_utils.load_image (Image.open -> ImageOps.exif_transpose -> convert("RGB")),
  then the slow Idefics3ImageProcessor steps on the uint8 RGB array: longest-edge resize (even bump, 4096 cap),
  if splitting: resize to tile multiples, row-major tiles + the whole image resized to one tile (global, last);
  else: resize to one tile; every resize is PIL Image.resize(..., resample) on uint8 RGB;
  rescale (float64 multiply, cast to float32), normalise (x - mean) / std in float32, channels first.
Writes pixel_values float32 [1, T, 3, S, S] as .npy and {"rows", "cols", "tiles", ...} as JSON.

Usage:
  pillow_reference.py --image F --out X.npy [--meta X.json] [--longest-edge 2048] [--tile-size 512]
                      [--split | --no-split] [--resample 1] [--rgb-out RGB.npy]
  pillow_reference.py --manifest cases.json    (a JSON list of objects with the same keys, underscores for dashes)
"""
import argparse
import json
import math
import sys

import numpy as np
import PIL
from PIL import Image, ImageOps

MAX_IMAGE_SIZE = 4096
RESCALE = 1 / 255
MEAN = [0.5, 0.5, 0.5]
STD = [0.5, 0.5, 0.5]


def load_rgb(path):
    image = Image.open(path)
    image = ImageOps.exif_transpose(image)
    return image.convert("RGB")


def longest_edge_size(height, width, max_len):
    aspect_ratio = width / height
    if width >= height:
        width = max_len
        height = int(width / aspect_ratio)
        if height % 2 != 0:
            height += 1
    elif height > width:
        height = max_len
        width = int(height * aspect_ratio)
        if width % 2 != 0:
            width += 1
    height = max(height, 1)
    width = max(width, 1)
    # cap below MAX_IMAGE_SIZE
    aspect_ratio = width / height
    if width >= height and width > MAX_IMAGE_SIZE:
        width = MAX_IMAGE_SIZE
        height = int(width / aspect_ratio)
    elif height > width and height > MAX_IMAGE_SIZE:
        height = MAX_IMAGE_SIZE
        width = int(height * aspect_ratio)
    return max(height, 1), max(width, 1)


def tile_multiple_size(height, width, tile):
    aspect_ratio = width / height
    if width >= height:
        width = math.ceil(width / tile) * tile
        height = int(width / aspect_ratio)
        height = math.ceil(height / tile) * tile
    elif height > width:
        height = math.ceil(height / tile) * tile
        width = int(height * aspect_ratio)
        width = math.ceil(width / tile) * tile
    return height, width


def resize(array, height, width, resample):
    return np.array(Image.fromarray(array).resize((width, height), resample=resample))


def to_planes(array):
    scaled = (array.astype(np.float64) * RESCALE).astype(np.float32)
    normalised = (scaled - np.array(MEAN, dtype=np.float32)) / np.array(STD, dtype=np.float32)
    return normalised.transpose(2, 0, 1)


def preprocess(rgb, longest_edge, tile, split, resample):
    array = np.array(rgb)
    h, w = array.shape[:2]
    h, w = longest_edge_size(h, w, longest_edge)
    array = resize(array, h, w, resample)
    rows = cols = 0
    frames = []
    if split:
        h, w = tile_multiple_size(h, w, tile)
        array = resize(array, h, w, resample)
        if h > tile or w > tile:
            rows, cols = math.ceil(h / tile), math.ceil(w / tile)
            for r in range(rows):
                for c in range(cols):
                    frames.append(array[r * tile:(r + 1) * tile, c * tile:(c + 1) * tile, :])
            array = resize(array, tile, tile, resample)
        frames.append(array)
    else:
        frames.append(resize(array, tile, tile, resample))
    pixel_values = np.stack([to_planes(f) for f in frames])[None, ...]
    return np.ascontiguousarray(pixel_values, dtype=np.float32), rows, cols


def run(case):
    rgb = load_rgb(case["image"])
    pixel_values, rows, cols = preprocess(rgb, int(case.get("longest_edge", 2048)), int(case.get("tile_size", 512)),
                                          bool(case.get("split", True)), int(case.get("resample", 1)))
    np.save(case["out"], pixel_values)
    if case.get("rgb_out"):
        np.save(case["rgb_out"], np.array(rgb))
    meta = {"rows": rows, "cols": cols, "tiles": int(pixel_values.shape[1]), "shape": list(pixel_values.shape),
            "decoded": [rgb.width, rgb.height], "pillow": PIL.__version__, "numpy": np.__version__}
    if case.get("meta"):
        with open(case["meta"], "w") as f:
            json.dump(meta, f)
    return meta


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--manifest")
    p.add_argument("--image")
    p.add_argument("--out")
    p.add_argument("--meta")
    p.add_argument("--rgb-out")
    p.add_argument("--longest-edge", type=int, default=2048)
    p.add_argument("--tile-size", type=int, default=512)
    p.add_argument("--split", dest="split", action="store_true", default=True)
    p.add_argument("--no-split", dest="split", action="store_false")
    p.add_argument("--resample", type=int, default=1)
    a = p.parse_args(argv)
    if a.manifest:
        with open(a.manifest) as f:
            cases = json.load(f)
        for case in cases:
            run(case)
        return 0
    if not a.image or not a.out:
        p.error("--image and --out are required without --manifest")
    meta = run({"image": a.image, "out": a.out, "meta": a.meta, "rgb_out": a.rgb_out, "longest_edge": a.longest_edge,
                "tile_size": a.tile_size, "split": a.split, "resample": a.resample})
    print(json.dumps(meta))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
