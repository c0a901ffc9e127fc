namespace Starling.Server.Config;

/// <summary>The <c>room</c> section.</summary>
internal sealed class RoomConfig
{
    /// <summary>Create rooms on join (<c>room.auto_create</c>, default true).</summary>
    public bool AutoCreate { get; set; } = true;

    /// <summary>Seconds an unused room stays open (<c>room.empty_timeout</c>, default 300).</summary>
    public uint EmptyTimeout { get; set; } = 300;

    /// <summary>Seconds a room stays open after the last participant left (<c>room.departure_timeout</c>, default 20).</summary>
    public uint DepartureTimeout { get; set; } = 20;

    /// <summary>Participant limit per room, 0 for none (<c>room.max_participants</c>).</summary>
    public uint MaxParticipants { get; set; }

    /// <summary>Allow the API to unmute tracks (<c>room.enable_remote_unmute</c>, default false).</summary>
    public bool EnableRemoteUnmute { get; set; }
}
