/// A box matplotlib reported (window extent in pixels, y measured from the top like ours).
struct MatplotlibBox: Decodable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double
}
