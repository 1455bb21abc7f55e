package io.captionstream.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captionstream.schema.ErrorCode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class AddressGuardTest {

  /** Resolves nothing and records every name it was asked for: numeric forms must never get here. */
  private final List<String> asked = new ArrayList<>();
  private final HostResolver noDns = name -> {
    asked.add(name);
    throw new UnknownHostException(name);
  };
  private final AddressGuard guard = new AddressGuard(false, noDns);

  private static void assertCode(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call).isInstanceOf(FetchException.class)
        .satisfies(e -> assertThat(((FetchException) e).code()).as(e.getMessage()).isEqualTo(code));
  }

  @Test
  void readsEveryInetAtonFormOfLoopbackAsLoopbackAndRefusesIt() {
    for (String host : new String[] {"0177.0.0.1", "0x7f000001", "0X7F000001", "2130706433", "127.1", "127.0.1",
        "0x7f.1", "0x7f.0.0.1", "017700000001", "0177.0.0.01", "127.0.0.1.", "0x7f.0x0.0x0.0x1", "0x7F000001."}) {
      assertCode(() -> guard.check(host), ErrorCode.FORBIDDEN_ADDRESS);
    }
    assertThat(asked).as("numeric forms are read, not looked up").isEmpty();
  }

  @Test
  void numericFormsOfPublicAddressesAreReadAsCurlReadsThem() throws Exception {
    AddressGuard open = new AddressGuard(true, noDns);
    assertThat(open.check("0177.0.0.1").getHostAddress()).isEqualTo("127.0.0.1"); // octal, not decimal 177.0.0.1
    assertThat(guard.check("134744072").getHostAddress()).isEqualTo("8.8.8.8");
    assertThat(guard.check("0x08080808").getHostAddress()).isEqualTo("8.8.8.8");
    assertThat(guard.check("8.0x80808").getHostAddress()).isEqualTo("8.8.8.8");
    assertThat(guard.check("8.8.2056").getHostAddress()).isEqualTo("8.8.8.8");
    assertThat(guard.check("010.010.010.010").getHostAddress()).isEqualTo("8.8.8.8");
    assertThat(guard.check("1.1.1.1.").getHostAddress()).isEqualTo("1.1.1.1");
    assertThat(asked).isEmpty();
  }

  @Test
  void malformedNumericHostsAreFetchFailedWithoutALookup() {
    for (String host : new String[] {"256.0.0.1", "1.2.3.256", "1.2.65536", "0x100000000", "4294967296", "08.0.0.1",
        "1.2.3.4.5", "1..2.3", "foo.0x7f", "example.123", "0xg.1", "99999999999999999999"}) {
      assertCode(() -> guard.check(host), ErrorCode.FETCH_FAILED);
    }
    assertThat(asked).isEmpty();
  }

  @Test
  void namesThatOnlyLookHexAreLookedUp() {
    assertCode(() -> guard.check("cafe.be"), ErrorCode.FETCH_FAILED);
    assertCode(() -> guard.check("images.example."), ErrorCode.FETCH_FAILED);
    assertThat(asked).containsExactly("cafe.be", "images.example");
  }

  @Test
  void refusesEveryIpv4SpecialPurposeBlockThatIsNotGloballyReachable() {
    for (String host : new String[] {"0.0.0.0", "0", "0.1.2.3", "10.0.0.1", "100.64.0.1", "100.127.255.254",
        "127.255.255.254", "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.0.170", "192.0.2.1",
        "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1",
        "239.255.255.250", "240.0.0.1", "254.1.2.3", "255.255.255.255", "4294967295"}) {
      assertCode(() -> guard.check(host), ErrorCode.FORBIDDEN_ADDRESS);
    }
  }

  @Test
  void acceptsGloballyReachableNeighboursOfTheBlocks() throws Exception {
    for (String host : new String[] {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.255.255",
        "172.32.0.1", "192.0.1.1", "192.0.3.1", "192.88.98.1", "192.169.0.1", "198.17.255.255", "198.20.0.1",
        "203.0.112.1", "223.255.255.255", "11.0.0.1"}) {
      assertThat(guard.check(host).getHostAddress()).as(host).isNotNull();
    }
  }

  @Test
  void refusesEveryIpv6SpecialPurposeBlockThatIsNotGloballyReachable() {
    for (String host : new String[] {"[::]", "[::1]", "[::127.0.0.1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]",
        "[::ffff:10.0.0.1]", "[64:ff9b::127.0.0.1]", "[64:ff9b::a9fe:a9fe]", "[64:ff9b:1::1]", "[100::1]",
        "[100:0:0:1::1]", "[2001::1]", "[2001:2::1]", "[2001:10::1]", "[2001:db8::1]", "[2002:7f00:1::]",
        "[2002:a9fe:a9fe::1]", "[3fff::1]", "[5f00::1]", "[fc00::1]", "[fd12:3456::1]", "[fe80::1]", "[fec0::1]",
        "[ff02::1]", "[ff0e::1]", "[4000::1]", "[1::1]"}) {
      assertCode(() -> guard.check(host), ErrorCode.FORBIDDEN_ADDRESS);
    }
  }

  @Test
  void acceptsGloballyReachableIpv6() throws Exception {
    for (String host : new String[] {"[2606:4700:4700::1111]", "[2001:4860:4860::8888]", "[2001:1::1]",
        "[2001:3::1]", "[2001:4:112::1]", "[2001:20::1]", "[2002:808:808::1]", "[64:ff9b::8.8.8.8]",
        "[::ffff:8.8.8.8]"}) {
      assertThat(guard.check(host)).as(host).isNotNull();
    }
  }

  @Test
  void ipv6ZoneIdsNameALocalScopeAndAreRefused() {
    assertCode(() -> guard.check("[fe80::1%25eth0]"), ErrorCode.FORBIDDEN_ADDRESS);
    assertCode(() -> guard.check("[fe80::1%eth0]"), ErrorCode.FORBIDDEN_ADDRESS);
    assertCode(() -> guard.check("[2606:4700::1%251]"), ErrorCode.FORBIDDEN_ADDRESS);
    assertCode(() -> guard.check("[not:an:address:zz]"), ErrorCode.FETCH_FAILED);
  }

  @Test
  void refusesANameWhenAnyOfItsAddressesIsInternalAndAsksOnce() throws Exception {
    List<String> lookups = new ArrayList<>();
    AddressGuard dns = new AddressGuard(false, name -> {
      lookups.add(name);
      return List.of(InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.0.0.5"));
    });
    assertCode(() -> dns.check("mixed.example"), ErrorCode.FORBIDDEN_ADDRESS);
    assertThat(lookups).containsExactly("mixed.example");
  }

  @Test
  void returnsTheCheckedAddressForTheConnection() throws Exception {
    InetAddress pub = InetAddress.getByAddress("images.example", new byte[] {93, (byte) 184, (byte) 215, 14});
    AddressGuard dns = new AddressGuard(false, name -> List.of(pub));
    assertThat(dns.check("images.example")).isSameAs(pub);
  }

  @Test
  void hostNamesWithCharactersNoResolverTakesAreFetchFailed() {
    assertCode(() -> guard.check("exa%6dple.com"), ErrorCode.FETCH_FAILED);
    assertCode(() -> guard.check("a b"), ErrorCode.FETCH_FAILED);
    assertCode(() -> guard.check(""), ErrorCode.INVALID_EVENT);
    assertThat(asked).isEmpty();
  }
}
