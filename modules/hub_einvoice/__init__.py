# This file is part of Pôle.
