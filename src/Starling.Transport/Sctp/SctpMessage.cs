namespace Starling.Transport.Sctp;

/// <summary>A complete user message delivered by the association. The receiver owns <see cref="Payload"/>.</summary>
internal readonly record struct SctpMessage(ushort StreamId, uint PayloadProtocolIdentifier, byte[] Payload, bool Unordered);
