// `ScalarDictionary`, `Config` and `ConfigValue` are built on `OrderedDictionary`; re-exporting it lets users name
// it without depending on swift-collections themselves.
@_exported import struct OrderedCollections.OrderedDictionary
