/// A model's computation graph, for backends that can display one (TensorBoard's graph tab).
///
/// Swift has no framework-neutral model object to trace, so the caller describes the graph: one node per
/// operation, with the names of the nodes feeding it. This maps onto TensorBoard's `GraphDef` (`NodeDef.name`,
/// `op`, `input`, `attr`).
public struct ModelGraph: Sendable, Hashable {
    /// One operation in the graph.
    public struct Node: Sendable, Hashable {
        /// A unique name; `/` separates scopes (`backbone/layer1/conv1`).
        public var name: String
        /// The operation (`Conv2d`, `ReLU`, `Input`).
        public var op: String
        /// The names of the nodes whose outputs this node consumes.
        public var inputs: [String]
        /// Free-form attributes shown by viewers (`"kernel_size": "3x3"`).
        public var attributes: [String: String]

        /// Creates a node.
        public init(name: String, op: String, inputs: [String] = [], attributes: [String: String] = [:]) {
            self.name = name
            self.op = op
            self.inputs = inputs
            self.attributes = attributes
        }
    }

    /// The nodes, in any order.
    public var nodes: [Node]

    /// Creates a graph from its nodes.
    public init(nodes: [Node]) {
        self.nodes = nodes
    }
}
