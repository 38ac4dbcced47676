using Harness.Images;
using Xunit;

namespace Harness.Tests.Images;

public sealed class StraceLogParserTests
{
    private const string Root = "/var/cache/harness/work/record/merged";

    [Fact]
    public void CallsOfLauncherAreSkipped()
    {
        string[] log =
        [
            "100 execve(\"/usr/bin/unshare\", [\"/usr/bin/unshare\"], 0x7ffd /* 3 vars */) = 0",
            "100 openat(AT_FDCWD</work>, \"/etc/ld.so.cache\", O_RDONLY) = 3</etc/ld.so.cache>",
            "101 execve(\"/usr/bin/node\", [\"node\", \"/app/s.js\"], 0x1 /* 3 vars */) = 0",
            $"101 openat(AT_FDCWD<{Root}/app>, \"/etc/ld.so.cache\", O_RDONLY) = 3",
        ];

        var accesses = StraceLogParser.ReadAccesses(log, Root, ignoredProcessId: 100);

        Assert.Equal(
            [
                new TracedFileAccess("execve", "/usr/bin/node"),
                new TracedFileAccess("openat", "/etc/ld.so.cache"),
            ],
            accesses
        );
    }

    [Fact]
    public void RelativePathUsesDirectoryDescriptor()
    {
        string[] log =
        [
            $"101 openat(AT_FDCWD<{Root}/app>, \"server.js\", O_RDONLY) = 4<{Root}/app/server.js>",
            $"101 openat(5<{Root}/usr/lib>, \"x.so\", O_RDONLY) = 6",
        ];

        var accesses = StraceLogParser.ReadAccesses(log, Root, ignoredProcessId: null);

        Assert.Equal(["/app/server.js", "/usr/lib/x.so"], accesses.Select(access => access.Path));
    }

    [Fact]
    public void UnfinishedCallKeepsItsPath()
    {
        string[] log =
        [
            "102 openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY <unfinished ...>",
            "102 <... openat resumed>) = 3",
            "[pid 103] open(\"/etc/group\", O_RDONLY) = -1 ENOENT (No such file or directory)",
            "103 +++ exited with 0 +++",
        ];

        var accesses = StraceLogParser.ReadAccesses(log, Root, ignoredProcessId: null);

        Assert.Equal(["/etc/passwd", "/etc/group"], accesses.Select(access => access.Path));
    }

    [Theory]
    [InlineData(@"plain", "plain")]
    [InlineData(@"caf\303\251", "café")]
    [InlineData(@"tab\there", "tab\there")]
    [InlineData(@"quote\""x", "quote\"x")]
    [InlineData(@"hex\x41", "hexA")]
    [InlineData(@"back\\slash", @"back\slash")]
    public void EscapesAreDecoded(string escaped, string expected)
    {
        Assert.Equal(expected, StraceLogParser.Unescape(escaped));
    }
}
