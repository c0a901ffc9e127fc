using System.Reflection;
using Starling.Sfu.Routing;

namespace Starling.Sfu.Tests;

/// <summary>Sfu knows no protobuf and no transport types (ARCHITECTURE.md): it sees bytes and its own sinks.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void Sfu_ReferencesOnlyWire()
    {
        var references = typeof(TrackRouter).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references.Where(n => n.StartsWith("Starling.", StringComparison.Ordinal)), n => Assert.Equal("Starling.Wire", n));
        Assert.DoesNotContain(references, n => n.StartsWith("Google.Protobuf", StringComparison.Ordinal));
        Assert.DoesNotContain(references, n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references, n => n.StartsWith("BouncyCastle", StringComparison.Ordinal));
    }
}
