namespace Starling.Cli.Service;

/// <summary>Who the service is installed for: the current user (no root needed) or the whole system.</summary>
internal enum ServiceScope
{
    User,
    System,
}
