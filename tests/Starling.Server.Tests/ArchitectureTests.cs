using System.Reflection;

namespace Starling.Server.Tests;

/// <summary>Dependencies point down only (ARCHITECTURE.md): checked on the compiled assemblies.</summary>
public sealed class ArchitectureTests
{
    [Theory]
    [InlineData("Starling.Wire", new string[0])]
    [InlineData("Starling.Transport", new[] { "Starling.Wire" })]
    [InlineData("Starling.Protocol", new string[0])]
    [InlineData("Starling.Sfu", new[] { "Starling.Wire" })]
    [InlineData("Starling.Rooms", new[] { "Starling.Protocol", "Starling.Transport", "Starling.Sfu", "Starling.Wire" })]
    [InlineData("Starling.Server", new[] { "Starling.Rooms", "Starling.Protocol", "Starling.Transport", "Starling.Sfu", "Starling.Wire" })]
    public void Assembly_ReferencesOnlyLowerLayers(string assembly, string[] allowed)
    {
        var loaded = Assembly.Load(assembly);
        var starlingRefs = loaded.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Starling.", StringComparison.Ordinal))
            .ToList();
        Assert.All(starlingRefs, r => Assert.Contains(r, allowed));
    }

    [Fact]
    public void Rooms_DoesNotReferenceAspNetCore()
    {
        var refs = Assembly.Load("Starling.Rooms").GetReferencedAssemblies().Select(a => a.Name!);
        Assert.DoesNotContain(refs, n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
