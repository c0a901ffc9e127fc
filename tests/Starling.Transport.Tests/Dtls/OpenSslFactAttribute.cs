namespace Starling.Transport.Tests.Dtls;

/// <summary>A fact that only runs when an <c>openssl</c> executable is on the PATH.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OpenSslFactAttribute : FactAttribute
{
    public OpenSslFactAttribute()
    {
        if (OpenSslPath is null)
        {
            Skip = "openssl is not installed";
        }
    }

    public static string? OpenSslPath { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "openssl"))
            .FirstOrDefault(File.Exists);
}
