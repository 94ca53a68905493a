// The --mask key from the environment (SPEC §8.40): the command layer reads it, rules/mask.h
// only computes with it.
#pragma once
#include "rules/mask.h"

namespace kartoteka {

// From the environment variable KARTOTEKA_MASK_KEY when set and non-empty, else the built-in
// kDefaultMaskSecret (public: set the variable when the pseudonyms must not be reversible by
// trying every phone number).
MaskKey mask_key_from_env();

}  // namespace kartoteka
