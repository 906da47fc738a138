# SPDX-License-Identifier: MIT
# engine tests
