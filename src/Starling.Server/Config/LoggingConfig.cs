namespace Starling.Server.Config;

/// <summary>The <c>logging</c> section.</summary>
internal sealed class LoggingConfig
{
    /// <summary><c>debug</c>, <c>info</c>, <c>warn</c> or <c>error</c> (<c>logging.level</c>, default info; dev: debug).</summary>
    public string Level { get; set; } = "info";

    /// <summary>Write JSON log lines (<c>logging.json</c>).</summary>
    public bool Json { get; set; }
}
