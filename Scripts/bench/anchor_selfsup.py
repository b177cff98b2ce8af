"""Anchors for the self-supervised workloads, doing the same work as the Swift ones in Python.

``selfsup.mocov2.2views.1333x800``: MoCo v2's view pipeline as torchvision runs it on a PIL image (random
resized crop 224 with scale 0.2-1, colour jitter 0.4/0.4/0.4/0.1 with p 0.8 in a random order, grayscale p 0.2,
Gaussian blur sigma 0.1-2 with p 0.5, horizontal flip p 0.5), twice, written with the Pillow calls torchvision's
functional_pil makes (its wheel here needs CUDA libraries, so it is not imported).

``selfsup.reconstruction.mae.normpix.png``: MMSelfSup's visualize_reconstruction.py after its model: the scene
resized to 224 with Pillow's bilinear filter, normalised, MAE's random mask (ratio 0.75), the prediction
de-normalised per patch (norm_pix) and unpatchified, post_process, and the 24x6-inch matplotlib figure saved.
"""
import math
import os
import random


def _scene(workdir):
    from PIL import Image
    return Image.open(os.path.join(workdir, "scene-1333x800.png")).convert("RGB")


def _mocov2(workdir):
    import numpy as np
    from PIL import Image, ImageEnhance, ImageFilter

    scene = _scene(workdir)
    scene.load()

    def crop_box(width, height, scale=(0.2, 1.0), ratio=(3 / 4, 4 / 3)):
        area = width * height
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            target = area * random.uniform(*scale)
            aspect = math.exp(random.uniform(*log_ratio))
            w = int(round(math.sqrt(target * aspect)))
            h = int(round(math.sqrt(target / aspect)))
            if 0 < w <= width and 0 < h <= height:
                top = random.randint(0, height - h)
                left = random.randint(0, width - w)
                return left, top, w, h
        return 0, 0, width, height

    def adjust_hue(img, factor):
        h, s, v = img.convert("HSV").split()
        np_h = np.array(h, dtype=np.uint8)
        with np.errstate(over="ignore"):
            np_h += np.array(factor * 255).astype(np.uint8)
        return Image.merge("HSV", (Image.fromarray(np_h, "L"), s, v)).convert("RGB")

    def view(img):
        left, top, w, h = crop_box(*img.size)
        img = img.crop((left, top, left + w, top + h)).resize((224, 224), Image.BILINEAR)
        if random.random() < 0.8:
            factors = [random.uniform(0.6, 1.4) for _ in range(3)] + [random.uniform(-0.1, 0.1)]
            for step in np.random.permutation(4):
                if step == 0:
                    img = ImageEnhance.Brightness(img).enhance(factors[0])
                elif step == 1:
                    img = ImageEnhance.Contrast(img).enhance(factors[1])
                elif step == 2:
                    img = ImageEnhance.Color(img).enhance(factors[2])
                else:
                    img = adjust_hue(img, factors[3])
        if random.random() < 0.2:
            img = img.convert("L").convert("RGB")
        if random.random() < 0.5:
            img = img.filter(ImageFilter.GaussianBlur(radius=random.uniform(0.1, 2.0)))
        if random.random() < 0.5:
            img = img.transpose(Image.FLIP_LEFT_RIGHT)
        return img

    def run():
        view(scene)
        view(scene)
    return run


def _reconstruction(workdir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    import torch
    from PIL import Image

    scene = _scene(workdir)
    scene.load()
    pred_patches = torch.from_numpy(np.load(os.path.join(workdir, "mae-prediction-196x768.npy")))[None]
    out = os.path.join(workdir, "reconstruction-anchor.png")
    mean_255 = torch.tensor([123.675, 116.28, 103.53]).view(1, 3, 1, 1)
    std_255 = torch.tensor([58.395, 57.12, 57.375]).view(1, 3, 1, 1)
    imagenet_mean = np.array([0.485, 0.456, 0.406])
    imagenet_std = np.array([0.229, 0.224, 0.225])
    p = 16

    def patchify(imgs):  # MAE's: N, L, p*p*3 laid out (row, column, channel)
        h = w = imgs.shape[2] // p
        x = imgs.reshape(imgs.shape[0], 3, h, p, w, p)
        x = torch.einsum("nchpwq->nhwpqc", x)
        return x.reshape(imgs.shape[0], h * w, p * p * 3)

    def unpatchify(x):
        h = w = int(x.shape[1] ** 0.5)
        x = x.reshape(x.shape[0], h, w, p, p, 3)
        x = torch.einsum("nhwpqc->nchpwq", x)
        return x.reshape(x.shape[0], 3, h * p, h * p)

    def recover_norm(img):
        return torch.clip((img * imagenet_std + imagenet_mean) * 255, 0, 255).int()

    def show_image(img, title):
        plt.imshow(img)
        plt.title(title, fontsize=16)
        plt.axis("off")

    def run():
        image = scene.resize((224, 224), Image.BILINEAR)
        img = torch.from_numpy(np.array(image)).permute(2, 0, 1)[None].float()
        img = (img - mean_255) / std_255
        # MAE's random masking
        noise = torch.rand(1, 196)
        ids_restore = torch.argsort(torch.argsort(noise, dim=1), dim=1)
        mask = torch.ones(1, 196)
        mask[:, :int(196 * (1 - 0.75))] = 0
        mask = torch.gather(mask, dim=1, index=ids_restore)
        # norm_pix: undo the per-patch normalisation with the input's statistics
        target = patchify(img)
        mean = target.mean(dim=-1, keepdim=True)
        var = target.var(dim=-1, keepdim=True)
        pred = unpatchify(pred_patches * (var + 1.0e-6) ** 0.5 + mean)
        pred = torch.einsum("nchw->nhwc", pred)
        mask_img = mask.unsqueeze(-1).repeat(1, 1, p * p * 3)
        mask_img = torch.einsum("nchw->nhwc", unpatchify(mask_img))
        original = torch.einsum("nchw->nhwc", img)
        masked = original * (1 - mask_img)
        paste = original * (1 - mask_img) + pred * mask_img
        panels = [recover_norm(x[0]) for x in (original, masked, pred, paste)]
        plt.rcParams["figure.figsize"] = [24, 6]
        for index, (panel, title) in enumerate(zip(panels, ["original", "masked", "reconstruction", "reconstruction + visible"])):
            plt.subplot(1, 4, index + 1)
            show_image(panel, title)
        plt.savefig(out)
        plt.close("all")
    return run


WORKLOADS = {
    "selfsup.mocov2.2views.1333x800": {"torchvision-on-pil": _mocov2},
    "selfsup.mocov2.2views.1333x800.1thread": {"torchvision-on-pil": _mocov2},
    "selfsup.reconstruction.mae.normpix.png": {"mmselfsup+matplotlib": _reconstruction},
}
