// The store and server tests use the plugin kit's temporary directory; one
// implementation serves both kits.
@_exported import class HuddlePluginTesting.TemporaryDirectory
