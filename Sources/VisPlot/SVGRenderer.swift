import Foundation
import VisCore
import VisDraw

/// Writes a figure as SVG 1.1: paths as `<path>`, markers as `<use>` of one shared shape, text as `<text>` in the
/// font family VisDraw measured it with (so it stays selectable), images as embedded PNG. Units are the raster
/// output's pixels, so an SVG viewer at 1:1 shows the PNG's layout.
public struct SVGRenderer: PlotRenderer {
    public let pixelWidth: Int
    public let pixelHeight: Int
    private var body: [String] = []
    private var definitions: [String] = []
    private var nextIdentifier = 0
    private var clipOpen = false

    /// A renderer for a `width`×`height` pixel drawing on `background`.
    public init(width: Int, height: Int, background: Color = Color(red: 255, green: 255, blue: 255)) {
        pixelWidth = width
        pixelHeight = height
        body.append("<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"\(_svgColor(background))\"/>")
    }

    /// The finished document.
    public var document: String {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
        text += "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" "
        text += "width=\"\(pixelWidth)\" height=\"\(pixelHeight)\" viewBox=\"0 0 \(pixelWidth) \(pixelHeight)\">\n"
        if !definitions.isEmpty { text += "<defs>\n" + definitions.joined(separator: "\n") + "\n</defs>\n" }
        text += body.joined(separator: "\n")
        if clipOpen { text += "\n</g>" }
        text += "\n</svg>\n"
        return text
    }

    private mutating func identifier(_ prefix: String) -> String {
        nextIdentifier += 1
        return "\(prefix)\(nextIdentifier)"
    }

    public mutating func beginClip(_ rect: PixelRect) throws {
        try endClip()
        let id = identifier("clip")
        // The raster renderer clips to whole pixels; so does this.
        let left = rect.x.rounded()
        let top = rect.y.rounded()
        definitions.append(
            "<clipPath id=\"\(id)\"><rect x=\"\(_n(left))\" y=\"\(_n(top))\" width=\"\(_n(rect.maxX.rounded() - left))\" "
                + "height=\"\(_n(rect.maxY.rounded() - top))\"/></clipPath>")
        body.append("<g clip-path=\"url(#\(id))\">")
        clipOpen = true
    }

    public mutating func endClip() throws {
        if clipOpen { body.append("</g>") }
        clipOpen = false
    }

    public mutating func drawPath(_ path: Path, fill: Color?, stroke: PlotStroke?, alpha: Double) throws {
        guard !path.isEmpty else { return }
        var attributes = "d=\"\(_pathData(path))\""
        if let fill, !fill.isTransparent {
            attributes += " fill=\"\(_svgColor(fill))\"" + _opacity("fill-opacity", fill, alpha)
        } else {
            attributes += " fill=\"none\""
        }
        if let stroke, !stroke.color.isTransparent, stroke.width > 0 {
            attributes += _strokeAttributes(stroke, alpha: alpha)
        }
        body.append("<path \(attributes)/>")
    }

    public mutating func drawMarkers(
        _ marker: Path, at points: [Point], faceColors: [Color], edgeColors: [Color], edgeWidth: Double, alpha: Double
    ) throws {
        guard !points.isEmpty, !marker.isEmpty else { return }
        let id = identifier("marker")
        definitions.append("<path id=\"\(id)\" d=\"\(_pathData(marker))\"/>")
        var lines: [String] = []
        lines.reserveCapacity(points.count)
        for (index, point) in points.enumerated() where point.isFinite {
            var attributes = "xlink:href=\"#\(id)\" x=\"\(_n(point.x))\" y=\"\(_n(point.y))\""
            if faceColors.isEmpty {
                attributes += " fill=\"none\""
            } else {
                let face = faceColors.count == 1 ? faceColors[0] : faceColors[index]
                attributes += " fill=\"\(_svgColor(face))\"" + _opacity("fill-opacity", face, alpha)
            }
            if !edgeColors.isEmpty, edgeWidth > 0 {
                let edge = edgeColors.count == 1 ? edgeColors[0] : edgeColors[index]
                attributes += _strokeAttributes(PlotStroke(color: edge, width: edgeWidth), alpha: alpha)
            }
            lines.append("<use \(attributes)/>")
        }
        body.append(contentsOf: lines)
    }

    public mutating func drawText(_ layout: TextLayout, in box: PixelRect, color: Color, rotated: Bool) throws {
        guard !layout.isEmpty else { return }
        let family = _xmlEscape(layout.font.face.familyName)
        let size = _n(layout.font.pixelsPerEm)
        var group = "<g"
        if rotated { group += " transform=\"translate(\(_n(box.x)) \(_n(box.y + layout.width))) rotate(-90)\"" }
        group += ">"
        var parts = [group]
        let (originX, originY) = rotated ? (0.0, 0.0) : (box.x, box.y)
        for line in layout.lines where !line.text.isEmpty {
            parts.append(
                "<text x=\"\(_n(originX + line.offsetX))\" y=\"\(_n(originY + line.baseline))\" font-family=\"\(family)\" "
                    + "font-size=\"\(size)\" fill=\"\(_svgColor(color))\"" + _opacity("fill-opacity", color, 1)
                    + " xml:space=\"preserve\">\(_xmlEscape(line.text))</text>")
        }
        parts.append("</g>")
        body.append(parts.joined())
    }

    public mutating func drawImage(_ image: Image, in rect: PixelRect) throws {
        let width = Int(rect.width.rounded())
        let height = Int(rect.height.rounded())
        guard width > 0, height > 0, !image.isEmpty else { return }
        let scaled = try _resampled(image, width: width, height: height)
        let png = Data(try scaled.pngData()).base64EncodedString()
        body.append(
            "<image x=\"\(Int(rect.x.rounded()))\" y=\"\(Int(rect.y.rounded()))\" width=\"\(width)\" height=\"\(height)\" "
                + "preserveAspectRatio=\"none\" xlink:href=\"data:image/png;base64,\(png)\"/>")
    }

    private func _strokeAttributes(_ stroke: PlotStroke, alpha: Double) -> String {
        var text = " stroke=\"\(_svgColor(stroke.color))\" stroke-width=\"\(_n(stroke.width))\""
        text += _opacity("stroke-opacity", stroke.color, alpha)
        text += " stroke-linecap=\"\(stroke.cap == .square ? "square" : stroke.cap.rawValue)\""
        text += " stroke-linejoin=\"\(stroke.join.rawValue)\""
        if let dash = stroke.dash, !dash.isEmpty { text += " stroke-dasharray=\"\(dash.map { _n($0) }.joined(separator: ","))\"" }
        return text
    }

    private func _opacity(_ name: String, _ color: Color, _ alpha: Double) -> String {
        let value = Double(color.alpha) / 255 * alpha
        return value >= 1 ? "" : " \(name)=\"\(_n(value, decimals: 3))\""
    }
}

/// `#rrggbb`.
func _svgColor(_ color: Color) -> String {
    let hex = Array("0123456789abcdef")
    var text = "#"
    for value in [color.red, color.green, color.blue] {
        text.append(hex[Int(value >> 4)])
        text.append(hex[Int(value & 15)])
    }
    return text
}

/// A coordinate with at most `decimals` decimals and no trailing zeros.
func _n(_ value: Double, decimals: Int = 2) -> String {
    guard value.isFinite else { return "0" }
    let scale = decimals == 3 ? 1000.0 : 100.0
    let scaled = Int64((value * scale).rounded())
    let negative = scaled < 0
    let magnitude = negative ? -scaled : scaled
    let whole = magnitude / Int64(scale)
    var fraction = magnitude % Int64(scale)
    var text = negative ? "-" : ""
    text += String(whole)
    if fraction != 0 {
        var digits = String(fraction)
        while digits.count < decimals { digits = "0" + digits }
        while digits.hasSuffix("0") {
            digits.removeLast()
            fraction /= 10
        }
        text += "." + digits
    }
    return text
}

/// SVG path data of `path`.
func _pathData(_ path: Path) -> String {
    var parts: [String] = []
    parts.reserveCapacity(path.elements.count)
    for element in path.elements {
        switch element {
        case .move(let p): parts.append("M\(_n(p.x)) \(_n(p.y))")
        case .line(let p): parts.append("L\(_n(p.x)) \(_n(p.y))")
        case let .quadCurve(to, c): parts.append("Q\(_n(c.x)) \(_n(c.y)) \(_n(to.x)) \(_n(to.y))")
        case let .curve(to, c1, c2):
            parts.append("C\(_n(c1.x)) \(_n(c1.y)) \(_n(c2.x)) \(_n(c2.y)) \(_n(to.x)) \(_n(to.y))")
        case .close: parts.append("Z")
        }
    }
    return parts.joined(separator: " ")
}

/// Text with XML's special characters escaped.
func _xmlEscape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&apos;"
        default:
            // Control characters are not allowed in XML 1.0.
            if scalar.value < 0x20 && scalar != "\t" { continue }
            result.unicodeScalars.append(scalar)
        }
    }
    return result
}
