namespace Starling.Transport.Sctp;

/// <summary>A finished SCTP packet in a buffer rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/>; the flusher returns it.</summary>
internal readonly record struct OutgoingPacket(byte[] Buffer, int Length);
