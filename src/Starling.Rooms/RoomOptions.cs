namespace Starling.Rooms;

/// <summary>Room defaults, bound from the <c>room</c> section of the configuration.</summary>
internal sealed class RoomOptions
{
    /// <summary>Create a room when someone joins one that does not exist (default true).</summary>
    public bool AutoCreate { get; set; } = true;

    /// <summary>Seconds a room nobody joined stays open (default 300).</summary>
    public uint EmptyTimeout { get; set; } = 300;

    /// <summary>Seconds a room stays open after its last participant left (default 20).</summary>
    public uint DepartureTimeout { get; set; } = 20;

    /// <summary>Participant limit per room; 0 means none.</summary>
    public uint MaxParticipants { get; set; }

    /// <summary>Whether MutePublishedTrack may unmute (default false, as in LiveKit).</summary>
    public bool EnableRemoteUnmute { get; set; }

    /// <summary>How often active speakers are evaluated and SpeakersChanged sent (LiveKit: about 500 ms).</summary>
    public TimeSpan SpeakerInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>After a dispatch is deleted, how long its agents get to leave before they are removed (livekit-server: 3 s).</summary>
    public TimeSpan AgentLeaveGrace { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often idle rooms are checked (LiveKit: every second).</summary>
    public TimeSpan IdleCheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
