namespace Starling.Wire.Stun;

/// <summary>STUN error codes used by ICE (RFC 8489 §14.8, RFC 8445 §7.3.1.1).</summary>
internal static class StunErrorCode
{
    public const int BadRequest = 400;
    public const int Unauthorized = 401;
    public const int UnknownAttribute = 420;
    public const int RoleConflict = 487;
    public const int ServerError = 500;

    /// <summary>The reason phrase RFC 8489 §14.8 suggests for a code (UTF-8, ASCII in practice).</summary>
    public static ReadOnlySpan<byte> ReasonPhrase(int code) => code switch
    {
        BadRequest => "Bad Request"u8,
        Unauthorized => "Unauthorized"u8,
        UnknownAttribute => "Unknown Attribute"u8,
        RoleConflict => "Role Conflict"u8,
        ServerError => "Server Error"u8,
        _ => "Error"u8,
    };
}
