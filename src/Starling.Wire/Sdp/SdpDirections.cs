namespace Starling.Wire.Sdp;

/// <summary>Names of <see cref="SdpDirection"/> and <see cref="SdpSetupRole"/> values as written in SDP.</summary>
internal static class SdpDirections
{
    public static string Name(SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        SdpDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    public static bool TryParseDirection(string text, out SdpDirection direction)
    {
        switch (text)
        {
            case "sendrecv":
                direction = SdpDirection.SendRecv;
                return true;
            case "sendonly":
                direction = SdpDirection.SendOnly;
                return true;
            case "recvonly":
                direction = SdpDirection.RecvOnly;
                return true;
            case "inactive":
                direction = SdpDirection.Inactive;
                return true;
            default:
                direction = SdpDirection.SendRecv;
                return false;
        }
    }

    /// <summary>The direction the other side uses in its answer (RFC 8829 §5.3.1): sendonly ↔ recvonly.</summary>
    public static SdpDirection Reverse(SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => SdpDirection.RecvOnly,
        SdpDirection.RecvOnly => SdpDirection.SendOnly,
        _ => direction,
    };

    public static string Name(SdpSetupRole role) => role switch
    {
        SdpSetupRole.Active => "active",
        SdpSetupRole.Passive => "passive",
        SdpSetupRole.HoldConn => "holdconn",
        _ => "actpass",
    };

    public static bool TryParseSetup(string text, out SdpSetupRole role)
    {
        switch (text.Trim())
        {
            case "actpass":
                role = SdpSetupRole.ActPass;
                return true;
            case "active":
                role = SdpSetupRole.Active;
                return true;
            case "passive":
                role = SdpSetupRole.Passive;
                return true;
            case "holdconn":
                role = SdpSetupRole.HoldConn;
                return true;
            default:
                role = SdpSetupRole.ActPass;
                return false;
        }
    }
}
