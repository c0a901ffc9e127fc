using System.Numerics;
using System.Security.Cryptography;

namespace Starling.Transport.Srtp;

/// <summary>
/// AES in counter mode as SRTP defines it (RFC 3711 §4.1.1): keystream block j is AES_k(IV + j), with the
/// block counter in the low 16 bits of the IV. Built on a cached AES-ECB <see cref="ICryptoTransform"/>
/// and preallocated scratch buffers, so <see cref="Apply"/> allocates nothing. Not thread-safe.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    private const int BlockSize = 16;
    private const int ChunkBlocks = 64;
    private const int ChunkBytes = ChunkBlocks * BlockSize;

    /// <summary>Largest input one IV may cover: 2^16 blocks (RFC 3711 §4.1.1).</summary>
    public const int MaxLength = 65536 * BlockSize;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counters = new byte[ChunkBytes];
    private readonly byte[] _keystream = new byte[ChunkBytes];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    /// <summary>
    /// XORs the keystream for <paramref name="iv"/> (16 bytes, low 16 bits zero) into <paramref name="data"/>.
    /// Encrypts and decrypts alike; pass zeros to obtain the raw keystream.
    /// </summary>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (iv.Length != BlockSize)
        {
            throw new ArgumentException("the IV must be 16 bytes", nameof(iv));
        }

        if (data.Length > MaxLength)
        {
            throw new ArgumentException("AES-CM input exceeds 2^16 blocks", nameof(data));
        }

        var counterBase = (iv[14] << 8) | iv[15];
        var block = 0;
        var offset = 0;
        while (offset < data.Length)
        {
            var chunk = Math.Min(ChunkBytes, data.Length - offset);
            var blocks = (chunk + BlockSize - 1) / BlockSize;
            for (var b = 0; b < blocks; b++)
            {
                var counter = _counters.AsSpan(b * BlockSize, BlockSize);
                iv.CopyTo(counter);
                var value = (counterBase + block + b) & 0xFFFF;
                counter[14] = (byte)(value >> 8);
                counter[15] = (byte)value;
            }

            _ecb.TransformBlock(_counters, 0, blocks * BlockSize, _keystream, 0);
            Xor(data.Slice(offset, chunk), _keystream.AsSpan(0, chunk));
            block += blocks;
            offset += chunk;
        }
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<byte>.Count;
            for (; i <= data.Length - width; i += width)
            {
                var mixed = new Vector<byte>(data[i..]) ^ new Vector<byte>(keystream[i..]);
                mixed.CopyTo(data[i..]);
            }
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
    }
}
