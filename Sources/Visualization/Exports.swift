@_exported import VisBackends
@_exported import VisCore
@_exported import VisDraw
