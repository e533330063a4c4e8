// The store and server tests use the plugin kit's temporary directory and
// storage choice; one implementation serves both kits.
@_exported import class HuddlePluginTesting.TemporaryDirectory
@_exported import enum HuddlePluginTesting.TestStorage
