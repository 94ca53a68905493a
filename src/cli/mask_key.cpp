// The --mask key from the environment: see mask_key.h.
#include "cli/mask_key.h"

#include <cstdlib>

namespace kartoteka {

MaskKey mask_key_from_env() {
  const char* s = std::getenv("KARTOTEKA_MASK_KEY");
  return MaskKey::from_secret(s && *s ? std::string_view(s) : kDefaultMaskSecret);
}

}  // namespace kartoteka
