import VisCore
