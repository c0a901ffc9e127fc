namespace Starling.Protocol.Auth;

/// <summary>A token was rejected; <see cref="Error"/> says why and the message says it in words.</summary>
public sealed class TokenValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TokenValidationException(TokenValidationError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public TokenValidationException(TokenValidationError error, string message, Exception inner)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>The reason for the rejection.</summary>
    public TokenValidationError Error { get; }
}
