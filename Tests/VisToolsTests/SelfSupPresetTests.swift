import Foundation
import Testing
import VisBackends
import VisCore
import VisTools

/// The MMSelfSup presets: each builds, runs seeded and reproduces bit for bit, with the views and masks of its
/// config; mask generators as config entries remove exactly their share of patches.
@Suite("SelfSup presets")
struct SelfSupPresetTests {
    /// A 200×150 photo-like image: gradients and a little texture, so every transform changes something.
    static func makePhoto() throws -> Image {
        var pixels = [UInt8]()
        var state: UInt32 = 7
        for y in 0..<150 {
            for x in 0..<200 {
                state = state &* 1_664_525 &+ 1_013_904_223
                let noise = Int(state >> 27)
                pixels += [UInt8((x + noise) % 256), UInt8((y + 40 + noise) % 256), UInt8(((x / 20 + y / 20) % 2) * 120 + 60)]
            }
        }
        return try Image(width: 200, height: 150, layout: .rgb, pixels: pixels)
    }

    /// Per preset: the views' sides and the mask's grid and removed count (`nil`: no mask; removed `-1`: at most
    /// the budget, as BEiT's block masks may stop short).
    private static let expectations: [String: (sides: [Int], mask: (side: Int, removed: Int)?)] = [
        "mocov2": ([224, 224], nil), "simclr": ([224, 224], nil), "byol": ([224, 224], nil), "simsiam": ([224, 224], nil),
        "mae": ([224], (14, 147)), "simmim": ([192], (48, 22 * 64)), "beit": ([224, 112], (14, -1)),
    ]

    @Test("every preset builds, runs seeded and repeats bit for bit", arguments: SelfSupPipeline.presetNames)
    func preset(name: String) throws {
        #expect(Set(SelfSupPipeline.presetNames) == Set(Self.expectations.keys))
        let photo = try Self.makePhoto()
        let pipeline = try SelfSupPipeline.preset(named: name)
        let sample = try pipeline.sample(of: photo, seed: 11)
        let expected = try #require(Self.expectations[name])
        #expect(sample.views.map(\.width) == expected.sides && sample.views.map(\.height) == expected.sides)
        #expect(sample.views.allSatisfy { $0.layout == .rgb })
        if let mask = expected.mask {
            let drawn = try #require(sample.mask)
            #expect(drawn.width == mask.side && drawn.height == mask.side && drawn.values.count == mask.side * mask.side)
            if mask.removed >= 0 {
                #expect(drawn.removedCount == mask.removed)
            } else {
                #expect(drawn.removedCount > 0 && drawn.removedCount <= 75)
            }
        } else {
            #expect(sample.mask == nil)
        }
        #expect(try pipeline.sample(of: photo, seed: 11) == sample)
        #expect(try pipeline.sample(of: photo, seed: 12) != sample)
        #expect(try SelfSupPipeline.preset(named: name.uppercased()) == pipeline)
    }

    @Test("presets carry their configs' parameters")
    func presetParameters() throws {
        let mocov2 = try SelfSupPipeline.preset(named: "mocov2")
        #expect(mocov2 == (try SelfSupPipeline.preset(named: "simsiam")))
        guard case let .multiView(counts, pipelines) = mocov2.transforms[1] else {
            Issue.record("mocov2's second entry is \(mocov2.transforms[1])")
            return
        }
        #expect(counts == [2] && pipelines.count == 1)
        #expect(pipelines.first == [
            .randomResizedCrop(size: 224, scale: 0.2...1.0, ratio: 0.75...(4.0 / 3.0), backend: .pillow, interpolation: "bilinear"),
            .randomApply(transforms: [.colorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1)], prob: 0.8),
            .randomGrayscale(prob: 0.2, keepChannels: true, channelWeights: [0.114, 0.587, 0.2989], colorFormat: .bgr),
            .randomGaussianBlur(sigma: 0.1...2.0, prob: 0.5),
            .randomFlip(prob: 0.5, vertical: false),
        ])
        let byol = try SelfSupPipeline.preset(named: "byol")
        guard case let .multiView(byolCounts, views) = byol.transforms[1], views.count == 2 else {
            Issue.record("byol's second entry is \(byol.transforms[1])")
            return
        }
        #expect(byolCounts == [1, 1])
        #expect(views[0][4] == .randomGaussianBlur(sigma: 0.1...2.0, prob: 1) && views[0][5] == .randomSolarize(threshold: 128, prob: 0))
        #expect(views[1][4] == .randomGaussianBlur(sigma: 0.1...2.0, prob: 0.1) && views[1][5] == .randomSolarize(threshold: 128, prob: 0.2))
        #expect(views[1][0] == .randomResizedCrop(
            size: 224, scale: 0.08...1.0, ratio: 0.75...(4.0 / 3.0), backend: .pillow, interpolation: "bicubic"))
        // SimMIM's crop names no backend: MMSelfSup's default, OpenCV.
        #expect(try SelfSupPipeline.preset(named: "simmim").transforms[1] == .randomResizedCrop(
            size: 192, scale: 0.67...1.0, ratio: 0.75...(4.0 / 3.0), backend: .cv2, interpolation: "bilinear"))
        let beit = try SelfSupPipeline.preset(named: "beit")
        #expect(beit.transforms[3] == .randomResizedCropTwoPic(
            size: 224, secondSize: 112, scale: 0.08...1.0, ratio: 0.75...(4.0 / 3.0), interpolation: .bicubic,
            secondInterpolation: .lanczos))
        #expect(beit.transforms[4] == .beitMask(try BEiTMaskGenerator(inputSize: 14, numMaskingPatches: 75, minNumPatches: 16)))
        #expect(try SelfSupPipeline.preset(named: "simmim").transforms[3] == .simMIMMask(try SimMIMMaskGenerator()))
        #expect(try SelfSupPipeline.preset(named: "mae").transforms[3] == .maeMask(try MAEMaskGenerator()))
        #expect(try SelfSupPipeline.presetConfigText(named: "mae").hasPrefix("pipeline:\n  - {type: LoadImageFromFile}"))
    }

    @Test("an unknown preset is an error listing the valid names")
    func unknownPreset() {
        do {
            _ = try SelfSupPipeline.preset(named: "dino")
            Issue.record("dino was accepted")
        } catch {
            let text = error.localizedDescription
            #expect(text.contains("`dino`") && SelfSupPipeline.presetNames.allSatisfy { text.contains($0) }, "\(text)")
        }
    }

    @Test("the two-picture crop resizes one crop twice")
    func twoPictureCrop() throws {
        // A square image and ratio range around 1 with the whole area: every try that fits is the whole image.
        let square = try Self.makePhoto().cropped(x: 20, y: 0, width: 150, height: 150)
        let pipeline = try SelfSupPipeline(
            config: try Config(
                text: #"{"p": [{"type": "RandomResizedCropAndInterpolationWithTwoPic", "size": 64, "second_size": 32, "scale": [1.0, 1.0], "interpolation": "bicubic"}]}"#,
                format: .json),
            key: "p")
        let views = try pipeline.views(of: square, seed: 5)
        #expect(views == [
            try square.pillowResized(width: 64, height: 64, filter: .bicubic),
            try square.pillowResized(width: 32, height: 32, filter: .lanczos),
        ])
    }

    @Test("mask generators as config entries remove exactly their share; errors name the entry and key")
    func maskEntries() throws {
        func pipeline(_ json: String) throws -> SelfSupPipeline {
            try SelfSupPipeline(config: try Config(text: "{\"p\": \(json)}", format: .json), key: "p")
        }
        let image = try Image(width: 96, height: 64, layout: .rgb)
        for (ratio, kept) in [(0.75, 6), (0.5, 12), (0.9, 2), (0.0, 24)] {
            let mae = try pipeline(#"[{"type": "MAEMaskGenerator", "patch_size": 16, "mask_ratio": \#(ratio)}]"#)
            for seed in 0..<50 as Range<UInt64> {
                let mask = try #require(try mae.sample(of: image, seed: seed).mask)
                #expect(mask.height == 4 && mask.width == 6 && mask.removedCount == 24 - kept)
            }
        }
        let simmim = try pipeline(#"[{"type": "SimMIMMaskGenerator", "input_size": 96, "mask_patch_size": 16, "model_patch_size": 8, "mask_ratio": 0.3}]"#)
        var positions = [Int](repeating: 0, count: 144)
        for seed in 0..<400 as Range<UInt64> {
            let mask = try #require(try simmim.sample(of: image, seed: seed).mask)
            // ceil(0.3 · 36) = 11 mask patches of 2×2 model patches.
            #expect(mask.width == 12 && mask.removedCount == 44)
            for (index, value) in mask.values.enumerated() where value == 1 { positions[index] += 1 }
        }
        // Every position is removed about 11/36 of the time.
        #expect(positions.allSatisfy { abs(Double($0) / 400 - 11.0 / 36) < 0.1 }, "\(positions)")
        let beit = try pipeline(#"[{"type": "BEiTMaskGenerator", "input_size": 8, "num_masking_patches": 20, "min_num_patches": 4}]"#)
        #expect(try beit.sample(of: image, seed: 3).mask.map { $0.removedCount <= 20 && $0.width == 8 } == true)

        let cases = [
            (#"[{"type": "RandomFlip"}, {"type": "SimMIMMaskGenerator", "ratio": 0.5}]"#, "[1].ratio"),
            (#"[{"type": "SimMIMMaskGenerator", "mask_ratio": 1.5}]"#, "[0].mask_ratio"),
            (#"[{"type": "SimMIMMaskGenerator", "input_size": 100}]"#, "[0].mask_patch_size"),
            (#"[{"type": "MAEMaskGenerator", "mask_ratio": 1.0}]"#, "[0].mask_ratio"),
            (#"[{"type": "MAEMaskGenerator", "patch_size": 0}]"#, "[0].patch_size"),
            (#"[{"type": "BEiTMaskGenerator", "input_size": [14, 7], "num_masking_patches": 75}]"#, "[0].input_size"),
            (#"[{"type": "BEiTMaskGenerator", "input_size": 14}]"#, "[0].num_masking_patches"),
            (#"[{"type": "BEiTMaskGenerator", "input_size": 4, "num_masking_patches": 75}]"#, "[0].num_masking_patches"),
            (#"[{"type": "RandomGrayscale", "channel_weights": [1, 2]}]"#, "[0].channel_weights"),
            (#"[{"type": "RandomGrayscale", "color_format": "hsv"}]"#, "[0].color_format"),
            (#"[{"type": "Resize", "scale": 64, "keep_ratio": "yes"}]"#, "[0].keep_ratio"),
            (#"[{"type": "LoadImageFromFile", "colour_type": "color"}]"#, "[0].colour_type"),
            (#"[{"type": "RandomResizedCrop", "size": 224, "interpolation": "bicubic"}]"#, "[0].interpolation"),
            (#"[{"type": "LoadImageFromFile", "color_type": "grayscale"}]"#, "[0].color_type"),
            (#"[{"type": "PackSelfSupInputs", "meta_key": ["img_path"]}]"#, "[0].meta_key"),
            (#"[{"type": "RandomResizedCropAndInterpolationWithTwoPic", "size": 224, "second_interpolation": "cubic"}]"#,
             "[0].second_interpolation"),
        ]
        for (json, path) in cases {
            let text = selfSupConfigError(json)
            #expect(text.contains(path), "\(json): \(text)")
        }
        // The MAE grid must divide the view.
        #expect(throws: VisCoreError.self) {
            try pipeline(#"[{"type": "MAEMaskGenerator", "patch_size": 10}]"#).sample(of: image, seed: 0)
        }
    }

    @Test("RandomGrayscale's rate follows prob; a gray image stays as it is; LoadImageFromFile makes RGB")
    func grayscaleRate() throws {
        let image = try Image(width: 1, height: 1, layout: .rgb, pixels: [200, 10, 10])
        let gray = try SelfSupPipeline(
            config: try Config(text: #"{"p": [{"type": "RandomGrayscale", "prob": 0.2, "keep_channels": true}]}"#, format: .json),
            key: "p")
        let converted = try (0..<2000 as Range<UInt64>).filter { try gray.views(of: image, seed: $0)[0].pixels[1] != 10 }.count
        #expect(abs(Double(converted) / 2000 - 0.2) < 0.03, "\(converted)/2000 converted")
        let single = try Image(width: 2, height: 1, layout: .gray, pixels: [3, 250])
        let always = try SelfSupPipeline(
            config: try Config(text: #"{"p": [{"type": "RandomGrayscale", "prob": 1.0}]}"#, format: .json), key: "p")
        #expect(try always.views(of: single, seed: 0) == [single])
        // LoadImageFromFile makes three channels, as mmcv's colour loading does: gray is replicated, alpha dropped.
        let load = try SelfSupPipeline(
            config: try Config(text: #"{"p": [{"type": "LoadImageFromFile", "color_type": "color"}]}"#, format: .json), key: "p")
        #expect(try load.views(of: single, seed: 0) == [try Image(width: 2, height: 1, layout: .rgb, pixels: [3, 3, 3, 250, 250, 250])])
        let translucent = try Image(width: 1, height: 1, layout: .rgba, pixels: [10, 20, 30, 40])
        #expect(try load.views(of: translucent, seed: 0) == [try Image(width: 1, height: 1, layout: .rgb, pixels: [10, 20, 30])])
    }
}
