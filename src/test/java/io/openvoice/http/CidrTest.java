package io.openvoice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
      // IPv4
      "10.0.0.0/8,        10.0.0.0,          true",
      "10.0.0.0/8,        10.255.255.255,    true",
      "10.0.0.0/8,        11.0.0.0,          false",
      "10.0.0.0/8,        9.255.255.255,     false",
      "172.16.0.0/12,     172.31.255.255,    true",
      "172.16.0.0/12,     172.32.0.0,        false",
      "172.16.0.0/12,     172.15.255.255,    false",
      "100.64.0.0/10,     100.127.255.255,   true",
      "100.64.0.0/10,     100.128.0.0,       false",
      "192.168.1.0/24,    192.168.1.77,      true",
      "192.168.1.0/24,    192.168.2.1,       false",
      "10.1.2.3/8,        10.9.9.9,          true",   // host bits beyond the prefix are ignored
      "192.168.1.7,       192.168.1.7,       true",   // no prefix: one address
      "192.168.1.7,       192.168.1.8,       false",
      // edge prefixes
      "0.0.0.0/0,         8.8.8.8,           true",
      "0.0.0.0/0,         255.255.255.255,   true",
      "0.0.0.0/0,         ::1,               false",  // families never mix
      "1.2.3.4/32,        1.2.3.4,           true",
      "1.2.3.4/32,        1.2.3.5,           false",
      "128.0.0.0/1,       128.0.0.1,         true",
      "128.0.0.0/1,       127.255.255.255,   false",
      "1.2.3.4/31,        1.2.3.5,           true",
      "1.2.3.4/31,        1.2.3.6,           false",
      // IPv6
      "::/0,              2001:db8::1,       true",
      "::/0,              1.2.3.4,           false",
      "::1/128,           ::1,               true",
      "::1/128,           ::2,               false",
      "::1,               0:0:0:0:0:0:0:1,   true",
      "fc00::/7,          fdff:ffff::1,      true",
      "fc00::/7,          fe00::1,           false",
      "fe80::/10,         febf:ffff::1,      true",
      "fe80::/10,         fec0::1,           false",
      "2001:db8::/32,     2001:db8:ffff::1,  true",
      "2001:db8::/32,     2001:db9::1,       false",
      "[2001:db8::]/33,   2001:db8:7fff::1,  true",
      "[2001:db8::]/33,   2001:db8:8000::1,  false",
      "2001:db8::1/127,   2001:db8::0,       true",
      "2001:db8::1/127,   2001:db8::2,       false",
      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, false",
      // IPv4-mapped IPv6 is IPv4 (the JDK maps ::ffff:a.b.c.d to an IPv4 address)
      "::ffff:10.0.0.0/104, 10.1.2.3,        true",
      "::ffff:10.0.0.0/104, 11.1.2.3,        false",
      "10.0.0.0/8,        ::ffff:10.1.2.3,   true",
  })
  void containsTable(String cidr, String address, boolean expected) throws Exception {
    assertEquals(expected, Cidr.parse(cidr).contains(InetAddress.getByName(address)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "::/129", "1.2.3.4/-1", "256.1.1.1/8", "10.0.0/8", "10.0.0.0/x", "",
      "example.com/24", "localhost", "::ffff:10.0.0.0/95", "1.2.3.4/", "fe80::1%eth0/64", "::g/64"})
  void invalidCidrsAreRejectedWithoutDns(String text) {
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "10.1.2.3/8,        10.0.0.0/8",
      "192.168.1.7,       192.168.1.7/32",
      "0.0.0.0/0,         0.0.0.0/0",
      "2001:db8::ff/32,   2001:db8:0:0:0:0:0:0/32",
      "::1,               0:0:0:0:0:0:0:1/128",
  })
  void normalisedForm(String text, String expected) {
    assertEquals(expected, Cidr.parse(text).toString());
    assertEquals(Cidr.parse(expected), Cidr.parse(text));
  }
}
