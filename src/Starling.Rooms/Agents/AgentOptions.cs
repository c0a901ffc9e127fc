namespace Starling.Rooms.Agents;

/// <summary>
/// Agent worker and dispatch settings. The protocol timeouts are livekit-server's; <see cref="TargetLoad"/> and the
/// user-data flags are bound from the <c>agents</c> section of the configuration.
/// </summary>
internal sealed class AgentOptions
{
    /// <summary>A worker must send <c>register</c> within this long after connecting (livekit-server: 10 s).</summary>
    public TimeSpan RegisterTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a worker has to answer an availability request before the next worker is asked (10 s).</summary>
    public TimeSpan AvailabilityTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Workers reporting a load below this are preferred; workers at or above it get jobs only when no worker below it
    /// is available (<c>agents.target_load</c>, default 0.7 as in livekit-server). A load of 1 or more is never chosen.
    /// </summary>
    public float TargetLoad { get; set; } = 0.7f;

    /// <summary>Sets <c>Job.enable_recording</c> (<c>agents.enable_user_data_recording</c>).</summary>
    public bool EnableUserDataRecording { get; set; }

    /// <summary>Sets <c>Job.enable_redaction</c> (<c>agents.enable_user_data_redaction</c>).</summary>
    public bool EnableUserDataRedaction { get; set; }

    /// <summary>Validity of the participant token minted for an assignment (livekit-server: 1 h).</summary>
    public TimeSpan AgentTokenTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After a dispatch is deleted, how long its agents get to leave before they are removed (3 s).</summary>
    public TimeSpan AgentLeaveGrace { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Messages a worker may send in a burst before the flood limit applies.</summary>
    public int FloodBurst { get; set; } = 200;

    /// <summary>Sustained messages per second a worker may send (agents-js sends one every 2.5 s when idle).</summary>
    public int FloodRatePerSecond { get; set; } = 50;

    /// <summary>Largest worker message accepted (livekit-server's agent_signal_message_size_limit: 2 MiB).</summary>
    public int MaxMessageBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>LiveKit server version in <c>RegisterWorkerResponse.server_info</c>.</summary>
    public string ServerVersion { get; set; } = "1.9.0";

    /// <summary>Node id in <c>RegisterWorkerResponse.server_info</c>.</summary>
    public string NodeId { get; set; } = "ND_starling";
}
