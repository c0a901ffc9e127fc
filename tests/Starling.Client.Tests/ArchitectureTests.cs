using System.Reflection;

namespace Starling.Client.Tests;

/// <summary>The client never references the server projects (ARCHITECTURE.md): checked on the compiled assembly.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void Client_ReferencesOnlyProtocolTransportAndWire()
    {
        string[] allowed = ["Starling.Protocol", "Starling.Transport", "Starling.Wire"];
        var refs = typeof(ClientAssembly).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Starling.", StringComparison.Ordinal))
            .ToList();
        Assert.All(refs, r => Assert.Contains(r, allowed));
    }

    [Fact]
    public void Client_DoesNotReferenceAspNetCore()
    {
        var refs = typeof(ClientAssembly).Assembly.GetReferencedAssemblies().Select(a => a.Name!);
        Assert.DoesNotContain(refs, n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
