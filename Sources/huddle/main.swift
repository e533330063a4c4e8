print("huddle: not yet wired")
