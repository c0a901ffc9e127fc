using Starling.Transport.Ice;

namespace Starling.Transport.Tests.Ice;

public sealed class IceCredentialsTests
{
    [Fact]
    public void Generate_Twice_GivesDistinctValidCredentials()
    {
        var a = IceCredentials.Generate();
        var b = IceCredentials.Generate();

        Assert.NotEqual(a.Ufrag, b.Ufrag);
        Assert.True(IceCredentials.IsValidUfrag(a.Ufrag));
        Assert.True(IceCredentials.IsValidPassword(a.Password));
        Assert.Equal(IceCredentials.GeneratedUfragLength, a.Ufrag.Length);
        Assert.Equal(IceCredentials.GeneratedPasswordLength, a.Password.Length);
    }

    [Theory]
    [InlineData("abcd", true)]
    [InlineData("a+/9", true)]
    [InlineData("abc", false)]
    [InlineData("ab:d", false)]
    [InlineData("ab d", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValidUfrag_Cases(string? ufrag, bool expected) => Assert.Equal(expected, IceCredentials.IsValidUfrag(ufrag));

    [Theory]
    [InlineData("0123456789012345678901", true)]
    [InlineData("012345678901234567890", false)]
    public void IsValidPassword_Cases(string password, bool expected) => Assert.Equal(expected, IceCredentials.IsValidPassword(password));

    [Fact]
    public void Matches_SameOrOtherValues_TellsRestartApart()
    {
        var credentials = new IceCredentials("abcd", "0123456789012345678901");

        Assert.True(credentials.Matches("abcd", "0123456789012345678901"));
        Assert.False(credentials.Matches("abcd", "0123456789012345678902"));
        Assert.False(credentials.Matches("abce", "0123456789012345678901"));
    }

    [Fact]
    public void Constructor_InvalidUfrag_Throws() =>
        Assert.Throws<ArgumentException>(() => new IceCredentials("ab", "0123456789012345678901"));

    [Theory]
    [InlineData(126, 65535, 1, 2130706431u)] // Chrome's first host candidate
    [InlineData(110, 65535, 1, 1862270975u)]
    [InlineData(100, 65535, 1, 1694498815u)]
    [InlineData(0, 65535, 1, 16777215u)]
    [InlineData(126, 65535, 2, 2130706430u)]
    public void Candidate_Priority_FollowsRfc8445Formula(int type, int local, int component, uint expected) =>
        Assert.Equal(expected, IcePriority.Candidate(type, local, component));

    [Fact]
    public void Pair_Priority_FollowsRfc8445Formula()
    {
        Assert.Equal((5ul << 32) + 14 + 1, IcePriority.Pair(7, 5));
        Assert.Equal((5ul << 32) + 14, IcePriority.Pair(5, 7));
        Assert.True(IcePriority.HostUdp(0) > IcePriority.HostUdp(1));
        Assert.True(IcePriority.HostTcpPassive(0) < IcePriority.HostUdp(10));
    }
}
