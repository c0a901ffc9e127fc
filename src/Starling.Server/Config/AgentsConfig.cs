namespace Starling.Server.Config;

/// <summary>The <c>agents</c> section (livekit-server's agent.Config keys).</summary>
internal sealed class AgentsConfig
{
    /// <summary>Workers below this load are preferred for jobs (<c>agents.target_load</c>, default 0.7).</summary>
    public float TargetLoad { get; set; } = 0.7f;

    /// <summary>Sets Job.enable_recording (<c>agents.enable_user_data_recording</c>, default false).</summary>
    public bool EnableUserDataRecording { get; set; }

    /// <summary>Sets Job.enable_redaction (<c>agents.enable_user_data_redaction</c>, default false).</summary>
    public bool EnableUserDataRedaction { get; set; }
}
