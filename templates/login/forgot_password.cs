<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<h2>Forgot your password?</h2>
<?cs if:Forgot.Message ?><p class="message" role="alert" id="message"><?cs var:Forgot.Message ?></p><?cs /if ?>
<?cs if:Forgot.Sent ?><p class="info" id="sent">If an account matches, we have sent a message with a link to choose a new password. The link works once and expires.</p>
<?cs else ?><p class="info">Enter your username or email address and we will send you a link to choose a new password.</p><?cs /if ?>
<form method="post" action="<?cs var:Forgot.Action ?>" id="forgot-password">
<input type="hidden" name="authreq" value="<?cs var:Login.Request ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<label for="username">Username or email</label>
<input id="username" name="username" type="text" autocomplete="username" required autofocus>
<button id="submit" type="submit">Send the link</button>
</form>
<?cs /def ?>
<?cs include!"layout.cs" ?>
