import Foundation
import VisBackends

extension SelfSupPipeline {
    /// The names of the built-in pipelines, each MMSelfSup 1.x's training pipeline of that algorithm.
    public static var presetNames: [String] { _presets.map(\.name) }

    /// The built-in pipeline `name` (`mocov2`, `simclr`, `byol`, `simsiam`, `mae`, `simmim`, `beit`), MMSelfSup
    /// 1.x's training pipeline of that algorithm; ``presetConfigText(named:)`` shows it as config text.
    ///
    /// - Throws: ``SelfSupPresetError`` listing the valid names when there is no such preset.
    public static func preset(named name: String) throws -> SelfSupPipeline {
        let config = try Config(text: try presetConfigText(named: name), format: .yaml)
        return try SelfSupPipeline(config: config, key: "pipeline")
    }

    /// The YAML config of the built-in pipeline `name` (a `pipeline:` list of `{type: ...}` entries), a starting
    /// point for a `--config` file.
    ///
    /// - Throws: ``SelfSupPresetError`` listing the valid names when there is no such preset.
    public static func presetConfigText(named name: String) throws -> String {
        guard let preset = _presets.first(where: { $0.name == name.lowercased() }) else {
            throw SelfSupPresetError(name: name, validNames: presetNames)
        }
        return "pipeline:\n" + preset.yaml
    }
}

/// No built-in pipeline has the name asked for.
public struct SelfSupPresetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name asked for.
    public var name: String
    /// The built-in pipelines' names.
    public var validNames: [String]

    /// The name asked for and the valid names.
    public var description: String {
        "unknown pipeline preset `\(name)`: expected one of " + validNames.joined(separator: ", ")
    }
}

extension SelfSupPresetError: LocalizedError {
    /// The same text as ``description``.
    public var errorDescription: String? { description }
}

// The view pipelines of MoCo v2 and SimSiam (one config) and of SimCLR: MMSelfSup 1.x writes the grayscale
// weights for its BGR images, so (0.114, 0.587, 0.2989) weigh blue, green, red.
private let _mocoV2Views = """
      - type: MultiView
        num_views: 2
        transforms:
          - - {type: RandomResizedCrop, size: 224, scale: [0.2, 1.0], backend: pillow}
            - type: RandomApply
              prob: 0.8
              transforms: [{type: ColorJitter, brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1}]
            - {type: RandomGrayscale, prob: 0.2, keep_channels: true, channel_weights: [0.114, 0.587, 0.2989]}
            - {type: RandomGaussianBlur, sigma_min: 0.1, sigma_max: 2.0, prob: 0.5}
            - {type: RandomFlip, prob: 0.5}

    """

private func _byolView(blur: Double, solarize: Double) -> String {
    """
              - {type: RandomResizedCrop, size: 224, interpolation: bicubic, backend: pillow}
              - {type: RandomFlip, prob: 0.5}
              - type: RandomApply
                prob: 0.8
                transforms: [{type: ColorJitter, brightness: 0.4, contrast: 0.4, saturation: 0.2, hue: 0.1}]
              - {type: RandomGrayscale, prob: 0.2, keep_channels: true, channel_weights: [0.114, 0.587, 0.2989]}
              - {type: RandomGaussianBlur, sigma_min: 0.1, sigma_max: 2.0, prob: \(blur)}
              - {type: RandomSolarize, prob: \(solarize)}

    """
}

private let _load = "  - {type: LoadImageFromFile}\n"
private let _pack = "  - {type: PackSelfSupInputs, meta_keys: [img_path]}\n"

/// Each preset's YAML (the entries of `pipeline:`), beside the MMSelfSup 1.x config it reproduces.
private let _presets: [(name: String, yaml: String)] = [
    // configs/selfsup/_base_/datasets/imagenet_mocov2.py (used by configs/selfsup/mocov2/mocov2_resnet50_8xb32-coslr-200e_in1k.py)
    ("mocov2", _load + _mocoV2Views + _pack),
    // configs/selfsup/_base_/datasets/imagenet_simclr.py (used by configs/selfsup/simclr/simclr_resnet50_8xb32-coslr-200e_in1k.py)
    ("simclr", _load + """
      - type: MultiView
        num_views: 2
        transforms:
          - - {type: RandomResizedCrop, size: 224, backend: pillow}
            - {type: RandomFlip, prob: 0.5}
            - type: RandomApply
              prob: 0.8
              transforms: [{type: ColorJitter, brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2}]
            - {type: RandomGrayscale, prob: 0.2, keep_channels: true, channel_weights: [0.114, 0.587, 0.2989]}
            - {type: RandomGaussianBlur, sigma_min: 0.1, sigma_max: 2.0, prob: 0.5}

    """ + _pack),
    // configs/selfsup/_base_/datasets/imagenet_byol.py: two asymmetric views (blur always / solarize never, then
    // blur 0.1 / solarize 0.2).
    ("byol", _load + """
      - type: MultiView
        num_views: [1, 1]
        transforms:
          -

    """ + _byolView(blur: 1.0, solarize: 0.0) + "      -\n" + _byolView(blur: 0.1, solarize: 0.2) + _pack),
    // configs/selfsup/simsiam/simsiam_resnet50_8xb32-coslr-200e_in1k.py, whose data config is
    // configs/selfsup/_base_/datasets/imagenet_mocov2.py.
    ("simsiam", _load + _mocoV2Views + _pack),
    // configs/selfsup/_base_/datasets/imagenet_mae.py; the mask is MAEViT's random masking
    // (configs/selfsup/_base_/models/mae_vit-base-p16.py: patch_size 16, mask_ratio 0.75), which MMSelfSup draws
    // in the model.
    ("mae", _load + """
      - {type: RandomResizedCrop, size: 224, scale: [0.2, 1.0], backend: pillow, interpolation: bicubic}
      - {type: RandomFlip, prob: 0.5}
      - {type: MAEMaskGenerator, patch_size: 16, mask_ratio: 0.75}

    """ + _pack),
    // configs/selfsup/_base_/datasets/imagenet_simmim.py (train_pipeline).
    ("simmim", _load + """
      - {type: RandomResizedCrop, size: 192, scale: [0.67, 1.0], ratio: [0.75, 1.3333333333333333]}
      - {type: RandomFlip, prob: 0.5}
      - {type: SimMIMMaskGenerator, input_size: 192, mask_patch_size: 32, model_patch_size: 4, mask_ratio: 0.6}
      - {type: PackSelfSupInputs, algorithm_keys: [mask], meta_keys: [img_path]}

    """),
    // configs/selfsup/_base_/datasets/imagenet_beit.py: views are the 224-pixel input and the 112-pixel
    // tokenizer target. MMSelfSup 1.x passes PIL's filter constants to cv2.resize there; these are the
    // filters the names (and BEiT's original code) mean, in Pillow.
    ("beit", _load + """
      - {type: ColorJitter, brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.0}
      - {type: RandomFlip, prob: 0.5, direction: horizontal}
      - type: RandomResizedCropAndInterpolationWithTwoPic
        size: 224
        second_size: 112
        interpolation: bicubic
        second_interpolation: lanczos
        scale: [0.08, 1.0]
      - {type: BEiTMaskGenerator, input_size: [14, 14], num_masking_patches: 75, max_num_patches: null, min_num_patches: 16}
      - {type: PackSelfSupInputs, algorithm_keys: [mask], meta_keys: [img_path]}

    """),
]
