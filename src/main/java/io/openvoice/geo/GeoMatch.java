package io.openvoice.geo;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The {@code <Geo states="NJ,CA" county="ESSEX">} rule: does the caller's geography select the block's children? */
public final class GeoMatch {
  private GeoMatch() {}

  /**
   * <ul>
   *   <li>no states (null or empty) and no county (null or blank): always true, whatever the caller;</li>
   *   <li>otherwise the caller's number must be known to {@code geo};</li>
   *   <li>states given: the caller's state must be one of them;</li>
   *   <li>county given: the caller's county must be known and equal to it;</li>
   *   <li>both given: both must hold.</li>
   * </ul>
   * Comparisons ignore case and surrounding spaces.
   */
  public static boolean matches(GeoLookup geo, String callerNumber, Set<String> states, String county) {
    Objects.requireNonNull(geo, "geo (use GeoLookup.NONE when no lookup is configured)");
    boolean wantStates = states != null && !states.isEmpty();
    boolean wantCounty = county != null && !county.isBlank();
    if (!wantStates && !wantCounty) return true;
    Optional<GeoLookup.GeoInfo> found = geo.lookup(callerNumber);
    if (found.isEmpty()) return false;
    GeoLookup.GeoInfo caller = found.get();
    if (wantStates) {
      String state = caller.state();
      if (state == null) return false;
      boolean any = false;
      for (String s : states) {
        if (s != null && s.trim().equalsIgnoreCase(state)) {
          any = true;
          break;
        }
      }
      if (!any) return false;
    }
    if (wantCounty) {
      return caller.county() != null && caller.county().trim().equalsIgnoreCase(county.trim());
    }
    return true;
  }
}
