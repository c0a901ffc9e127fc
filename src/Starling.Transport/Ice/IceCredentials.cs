using System.Security.Cryptography;
using System.Text;

namespace Starling.Transport.Ice;

/// <summary>
/// An ICE username fragment and password (RFC 8445 §5.3, grammar RFC 8839 §5.4: ufrag 4–256 and pwd 22–256
/// ice-chars). The password bytes key MESSAGE-INTEGRITY (RFC 8489 §9.1.1, short-term credentials).
/// </summary>
internal sealed class IceCredentials
{
    /// <summary>Length of generated ufrags: 16 characters, about 95 bits, so collisions across sessions don't happen.</summary>
    public const int GeneratedUfragLength = 16;

    /// <summary>Length of generated passwords: 32 characters, about 190 bits.</summary>
    public const int GeneratedPasswordLength = 32;

    // ice-char = ALPHA / DIGIT / "+" / "/"; generated values leave out '+' and '/' so they survive URLs and logs.
    private const string GeneratedChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public IceCredentials(string ufrag, string password)
    {
        if (!IsValidUfrag(ufrag))
        {
            throw new ArgumentException("ICE ufrag must be 4–256 ice-chars (RFC 8839 §5.4).", nameof(ufrag));
        }

        if (!IsValidPassword(password))
        {
            throw new ArgumentException("ICE pwd must be 22–256 ice-chars (RFC 8839 §5.4).", nameof(password));
        }

        Ufrag = ufrag;
        Password = password;
        UfragBytes = Encoding.ASCII.GetBytes(ufrag);
        PasswordBytes = Encoding.ASCII.GetBytes(password);
    }

    public string Ufrag { get; }

    public string Password { get; }

    internal byte[] UfragBytes { get; }

    internal byte[] PasswordBytes { get; }

    /// <summary>Fresh random credentials from the cryptographic random number generator.</summary>
    public static IceCredentials Generate() =>
        new(RandomNumberGenerator.GetString(GeneratedChars, GeneratedUfragLength),
            RandomNumberGenerator.GetString(GeneratedChars, GeneratedPasswordLength));

    public static bool IsValidUfrag(string? value) => IsIceChars(value, 4);

    public static bool IsValidPassword(string? value) => IsIceChars(value, 22);

    /// <summary>Same ufrag and password: an offer repeating them is not an ICE restart (RFC 8839 §4.4.1.1.1).</summary>
    public bool Matches(string ufrag, string password) =>
        string.Equals(Ufrag, ufrag, StringComparison.Ordinal) && string.Equals(Password, password, StringComparison.Ordinal);

    public override string ToString() => $"ufrag {Ufrag}";

    private static bool IsIceChars(string? value, int minimum)
    {
        if (value is null || value.Length < minimum || value.Length > 256)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/'))
            {
                return false;
            }
        }

        return true;
    }
}
