package io.openvoice.geo;

import java.util.Optional;

/** Where a North American number is: NPA (area code) to state, NPA-NXX to county where an operator loaded it. */
public interface GeoLookup {
  /** @param number caller id in any common form (+1NPANXXXXXX, 1NPANXXXXXX, NPANXXXXXX); empty if unknown. */
  Optional<GeoInfo> lookup(String number);

  /** {@code state}: 2-letter code (upper case); {@code county}: upper case, or null when not known. */
  record GeoInfo(String state, String county) {}

  GeoLookup NONE = number -> Optional.empty();
}
