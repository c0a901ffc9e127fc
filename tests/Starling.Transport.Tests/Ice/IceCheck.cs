using System.Text;
using Starling.Wire.Stun;

namespace Starling.Transport.Tests.Ice;

/// <summary>Builds connectivity checks the way a controlling full agent (a browser) does (RFC 8445 §7.2.2).</summary>
internal sealed record IceCheck(string ServerUfrag, string ClientUfrag, string ServerPassword)
{
    public uint Priority { get; init; } = 1853824767; // prflx, as Chrome sends

    public bool UseCandidate { get; init; }

    public bool Controlled { get; init; }

    public bool Fingerprint { get; init; } = true;

    public bool Integrity { get; init; } = true;

    public bool Username { get; init; } = true;

    public string? PasswordOverride { get; init; }

    public ushort? ExtraAttribute { get; init; }

    public StunTransactionId TransactionId { get; init; } = StunTransactionId.NewRandom();

    public ushort MessageType { get; init; } = StunMessageType.BindingRequest;

    public byte[] Build()
    {
        var buffer = new byte[512];
        var writer = new StunWriter(buffer, MessageType, TransactionId);
        if (Username)
        {
            writer.AddUsername(Encoding.ASCII.GetBytes($"{ServerUfrag}:{ClientUfrag}"));
        }

        writer.AddAttribute(0xC057, [0, 1, 0, 10]); // GOOG-NETWORK-INFO, comprehension-optional
        if (ExtraAttribute is { } extra)
        {
            writer.AddAttribute(extra, [1, 2, 3, 4]);
        }

        if (Controlled)
        {
            writer.AddIceControlled(0x1234);
        }
        else
        {
            writer.AddIceControlling(0x5678);
        }

        if (UseCandidate)
        {
            writer.AddUseCandidate();
        }

        writer.AddPriority(Priority);
        if (Integrity)
        {
            writer.AddMessageIntegrity(Encoding.ASCII.GetBytes(PasswordOverride ?? ServerPassword));
        }

        if (Fingerprint)
        {
            writer.AddFingerprint();
        }

        Assert.True(writer.TryComplete(out var length));
        return buffer[..length];
    }
}
